"""wallet_sdk: the citizen wallet companion library (not built yet; see the issues)."""

__all__: list[str] = []
