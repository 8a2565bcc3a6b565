"""vc_issuer: the sources as Verifiable Credential issuers (not built yet; see the issues)."""

__all__: list[str] = []
