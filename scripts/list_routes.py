"""Print every URL route of the project (name and pattern), as the security matrix sees them.

Usage: .venv/bin/python -m scripts.list_routes
"""

from __future__ import annotations

import os

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    django.setup()
    from tests.security.matrix import iter_routes

    for found in iter_routes():
        print(f"{found.pattern:60} {found.name}")


if __name__ == "__main__":
    main()
