"""wallet_sdk: the citizen's wallet companion library (receive, store encrypted, present selectively).

Not built yet; see the project issues.
"""

__all__: list[str] = []
