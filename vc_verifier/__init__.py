"""vc_verifier: the relying-party library that landlord software embeds.

Not built yet; see the project issues.
"""

__all__: list[str] = []
