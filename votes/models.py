"""Models of the votes app (filled by its issue)."""
