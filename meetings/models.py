"""Models of the meetings app (filled by its issue)."""
