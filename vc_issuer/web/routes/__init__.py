"""The routers of the issuer app."""
