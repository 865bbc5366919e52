"""Pages of the meetings app, one module per audience and sub-domain, routed by `meetings/urls.py`."""
