"""Every read of the meetings app, one module per sub-domain: `sittings`, `calendar`, `tables`.

Callers import the module they need (`from meetings.selectors import sittings as sitting_selectors`);
this package re-exports nothing.
"""
