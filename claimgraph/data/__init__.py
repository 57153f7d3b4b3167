"""Data files that ship with the package (see each folder's README.md)."""
