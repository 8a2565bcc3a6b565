"""vc_issuer: the government sources as Verifiable Credential issuers (OpenID4VCI, status lists, sealed PDFs).

Not built yet; see the project issues.
"""

__all__: list[str] = []
