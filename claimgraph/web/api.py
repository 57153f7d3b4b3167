"""The REST API under ``/api`` (filled in by #6)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["api"])
