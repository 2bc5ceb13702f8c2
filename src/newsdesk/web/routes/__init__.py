"""The web application's routers: pages, sources, account, JSON API, Atom feeds."""
