"""Models of the proposals app (filled by its issue)."""
