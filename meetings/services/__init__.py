"""Every write of the meetings app, one module per sub-domain: `sittings` (meetings, sittings,
agenda), `attendance`, `proxies`, `calendar`, `tables`.

Callers import the module they need (`from meetings.services import sittings as sitting_services`);
this package re-exports nothing, so each name lives in one place (and is patched there in tests).
"""
