"""Blauwe Knop Plus: consented, revocable sharing from the sources straight to a recipient.

Design
------

**Recipients** (a landlord, a housing corporation) register with each source
they want data from: their DID (did:web or did:key), name, purposes, the
credential types and claims they may ever receive, and the public keys they
authenticate with (:meth:`PlusService.register_recipient`; admin API
``/admin/{source}/plus/recipients``; ``blauwe-knop issuer plus register``).

**A grant** is the citizen's consent: recipient, purpose, scope (per source:
one credential configuration and the claims paths granted, as RFC 9396
``authorization_details`` of type ``openid_credential``), an end date, and
optionally a number of uses (one-time sharing). It is a JWT claims set
(``jti`` = grant id, ``sub`` = the holder DID the data will be bound to,
``aud`` = the recipient, ``nbf``/``exp``, ``purpose``, ``max_uses``) signed
by every source in scope; the citizen's copy is the General JWS JSON
Serialization with all signatures (:mod:`vc_issuer.plus.tokens`). The
citizen grants either

- from the **wallet**: a ``consent-request+jwt`` signed by a holder key,
  carrying the terms, a nonce from the source and a presentation of a
  credential the source issued to that key (challenge = nonce, domain = the
  source's URL). The source knows the citizen behind that key because it
  remembered, when the wallet received the credential, the BSN (sealed)
  behind the holder DID (:mod:`vc_issuer.plus.holders`). No further login is
  needed; or
- through the source's own **login** (any ``CitizenAuthenticator``, e.g. the
  demo login). The data is then bound to the wallet DID the citizen names, or
  to a fresh pseudonym (``urn:uuid:``) for this grant alone.

**The recipient API** (``POST /{source}/plus/credential``) authenticates the
recipient with an RFC 7523 ``private_key_jwt`` client assertion (its own key;
``aud`` = the source; ``exp`` at most five minutes ahead; ``jti`` used once),
checks the presented grant JWT (signed by this source, identical to the stored
one), and serves a fresh credential (``ecdsa-rdfc-2019``) with only the granted
claims, ``credentialSubject.id`` = the grant's holder, ``ontvanger`` = the
recipient, ``toestemming`` = the grant id, ``doel`` = the purpose, and status
entries. Refusals are OAuth errors: ``invalid_client`` (401),
``invalid_request``/``invalid_grant`` (400: unknown, forged or altered grant,
another recipient's grant, expired, used up, revoked), ``insufficient_scope``
(403: outside the grant). A recipient composes data of several sources by
fetching from each (``vc_verifier.PlusClient``).

**Control**: the citizen lists grants, reads every access and revokes, in the
portal (by BSN) or from the wallet (``consent-control+jwt`` signed by the
grant's holder key). Each grant has an access log: ``granted``, ``served``,
``refused`` and ``revoked`` entries, append-only and hash-chained
(:mod:`vc_issuer.plus.chain`), exported signed by a source; an authenticated
recipient's attempts that name no known grant go to the source's own chain
(``source:<name>``). The log holds only what authenticated parties did and what
the source decided: a fetch refused before the recipient's client assertion
verified is counted in memory per client (and rate-limited), never stored. Every fetch and
the revocation start by taking the grant's chain head (``UPDATE … RETURNING``:
a row lock on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite) and read the grant
after it, in the transaction that also records the served credential. So a
fetch is either ordered before the revocation's commit (and logged with a
lower sequence number) or refused: nothing is served after it. Revoking also
sets the revocation status of every credential served under the grant, and
wipes the sealed BSN.

>>> from vc_core import KeyPair
>>> from vc_issuer import Issuer, IssuerSettings
>>> plus = PlusService(Issuer.from_settings(IssuerSettings.demo(demo_people=5)))
>>> landlord, income = "did:web:verhuur.example.nl", "InkomensverklaringCredential_ldp_vc"
>>> key = KeyPair.generate().public.multibase
>>> _ = plus.register_recipient(
...     "belastingdienst", did=landlord, name="Verhuur BV", purposes=["huurwoning"],
...     keys=[{"id": f"{landlord}#key-1", "publicKeyMultibase": key}],
...     scopes=[{"credential_configuration_id": income,
...              "claims": [{"path": ["credentialSubject", "inkomenstoets"]}]}])
>>> grant = plus.grant_for_citizen("999993653", {
...     "recipient": landlord, "purpose": "huurwoning", "max_uses": 1,
...     "authorization_details": [scope_item("https://issuer.example.nl/belastingdienst",
...                                          income, ["inkomenstoets"])]})
>>> grant.status, dict(grant.uses), len(grant.document["signatures"])
('active', {'belastingdienst': 0}, 1)
>>> [entry.event for entry in plus.access_log(grant.id).entries]
['granted']
"""

from vc_issuer.plus.chain import ChainCheck, verify_access_log
from vc_issuer.plus.scope import ScopeItem, scope_item
from vc_issuer.plus.service import AccessLog, FetchResult, GrantTerms, GrantView, PlusService
from vc_issuer.plus.tokens import (
    ACCESS_LOG_TYP,
    CLIENT_ASSERTION_TYP,
    CLIENT_ASSERTION_TYPE,
    CONSENT_CONTROL_TYP,
    CONSENT_REQUEST_TYP,
    GRANT_TYP,
)

__all__ = [
    "ACCESS_LOG_TYP",
    "CLIENT_ASSERTION_TYP",
    "CLIENT_ASSERTION_TYPE",
    "CONSENT_CONTROL_TYP",
    "CONSENT_REQUEST_TYP",
    "GRANT_TYP",
    "AccessLog",
    "ChainCheck",
    "FetchResult",
    "GrantTerms",
    "GrantView",
    "PlusService",
    "ScopeItem",
    "scope_item",
    "verify_access_log",
]
