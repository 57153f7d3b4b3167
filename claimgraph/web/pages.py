"""The server-rendered pages (filled in by #6)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
