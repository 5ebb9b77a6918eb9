"""The web app: the library, the reader and the analysis in a browser (``ficlens serve``).

Server-rendered Jinja2 pages over the stored analyses (no re-analysis to read a work),
SVG charts drawn on the server, a JSON API under ``/api/``; every asset is served by
ficlens itself, so it works offline. ``create_app`` builds the Starlette application.
"""

from ficlens.web.app import create_app

__all__ = ["create_app"]
