"""Settings of the proposals bench: the product's settings with a bench-only URLconf (bare views)."""

from backend.settings import *  # noqa: F403

ROOT_URLCONF = "bench.proposals_urls"
