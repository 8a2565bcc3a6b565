"""Embedding Disclosure digests (issuer), processing them (holder, verifier), selecting them.

Claims are addressed by claim paths, as in SD-JWT VC type metadata and DCQL:
a tuple of strings (object member), non-negative integers (array element)
and ``None`` (every element of an array). The issuer names the claims to make
selectively disclosable; listing a claim and one of its sub-claims gives a
recursive Disclosure. The holder names the claims to reveal; every Disclosure
on the way to them (and, for a whole object or array, inside them) is kept.

Spec: rfc9901#name-embedding-disclosure-digest
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vc_core.errors import SdJwtError
from vc_core.hazmat.sd_jwt.disclosures import (
    ARRAY_DIGEST_KEY,
    DEFAULT_SD_ALG,
    SD_ALG_CLAIM,
    SD_DIGESTS_KEY,
    Disclosure,
    create_decoy_digest,
    create_disclosure,
    generate_salt,
)
from vc_core.types import JsonObject

__all__ = [
    "ClaimPath",
    "SdJwtPayload",
    "check_claim_path",
    "create_sd_jwt_payload",
    "process_sd_jwt_payload",
    "select_disclosures",
]

ClaimPath = tuple[str | int | None, ...]
"""A claim path: member names, array indexes and ``None`` for every array element."""

_RESERVED = frozenset({SD_DIGESTS_KEY, ARRAY_DIGEST_KEY})


@dataclass(frozen=True, slots=True)
class SdJwtPayload:
    """An Issuer-signed JWT payload with its digests, and the Disclosures they refer to.

    ``disclosures`` are in creation order: a nested Disclosure comes before the
    one that contains its digest.
    """

    payload: JsonObject
    disclosures: tuple[Disclosure, ...]


def check_claim_path(path: object) -> ClaimPath:
    """Return ``path`` as a tuple if it is a non-empty claim path; ``ValueError`` otherwise.

    Spec: draft-ietf-oauth-sd-jwt-vc#name-claim-path
    """
    if isinstance(path, str | bytes) or not isinstance(path, Sequence) or not path:
        raise ValueError(f"a claim path is a non-empty list, got {path!r}")
    for component in path:
        if component is None or isinstance(component, str):
            continue
        if not isinstance(component, int) or isinstance(component, bool) or component < 0:
            raise ValueError(f"claim path component {component!r} is not a string, null or index")
    return tuple(path)


@dataclass(slots=True)
class _Embedder:
    """The issuer's walk over the claims (mutable state of one create_sd_jwt_payload call)."""

    salt: Callable[[], str]
    decoys: int
    decoy_digest: Callable[[], str]
    randbelow: Callable[[int], int]
    sd_alg: str
    disclosures: list[Disclosure]
    used: set[ClaimPath]

    def embed(self, value: Any, paths: list[tuple[ClaimPath, ClaimPath]]) -> Any:
        """Return ``value`` with the claims ``paths`` end at replaced by digests.

        Each entry of ``paths`` is ``(remaining path, whole path)``; an empty
        remaining path means ``value`` itself was named (the caller hides it).
        """
        if isinstance(value, Mapping):
            return self._embed_object(value, paths)
        if isinstance(value, list):
            return self._embed_array(value, paths)
        return value

    def _children(
        self, paths: list[tuple[ClaimPath, ClaimPath]], key: str | int
    ) -> tuple[list[tuple[ClaimPath, ClaimPath]], bool]:
        """The paths continuing below the member or element ``key``, and whether one ends at it.

        ``None`` in a path matches every array element (an integer ``key``).
        """
        below: list[tuple[ClaimPath, ClaimPath]] = []
        hidden = False
        for rest, whole in paths:
            if rest and (rest[0] == key or (rest[0] is None and isinstance(key, int))):
                if len(rest) == 1:
                    hidden = True
                    self.used.add(whole)
                else:
                    below.append((rest[1:], whole))
        return below, hidden

    def _embed_object(
        self, value: Mapping[str, Any], paths: list[tuple[ClaimPath, ClaimPath]]
    ) -> JsonObject:
        output: JsonObject = {}
        digests: list[str] = []
        for name, child in value.items():
            if name in _RESERVED:
                raise ValueError(f"claims must not use the reserved name {name!r}")
            below, hidden = self._children(paths, name)
            # Step 1: make the sub-claims' Disclosures first (recursive disclosure).
            embedded = self.embed(child, below)
            if hidden:
                # Step 2: a Disclosure [salt, name, value]; its digest goes into _sd.
                disclosure = create_disclosure(self.salt(), embedded, name=name, sd_alg=self.sd_alg)
                self.disclosures.append(disclosure)
                digests.append(disclosure.digest)
            else:
                output[name] = embedded
        if digests:
            # Step 3: decoy digests hide how many claims there are.
            digests.extend(self.decoy_digest() for _ in range(self.randbelow(self.decoys + 1)))
            # Step 4: sort _sd so its order says nothing about the claims' order.
            output[SD_DIGESTS_KEY] = sorted(digests)
        return output

    def _embed_array(self, value: list[Any], paths: list[tuple[ClaimPath, ClaimPath]]) -> list[Any]:
        output: list[Any] = []
        hidden_any = False
        for index, child in enumerate(value):
            below, hidden = self._children(paths, index)
            embedded = self.embed(child, below)
            if hidden:
                # Step 1: a Disclosure [salt, value]; {"...": digest} takes the element's place.
                disclosure = create_disclosure(self.salt(), embedded, sd_alg=self.sd_alg)
                self.disclosures.append(disclosure)
                output.append({ARRAY_DIGEST_KEY: disclosure.digest})
                hidden_any = True
            else:
                output.append(embedded)
        if hidden_any:
            # Step 2: decoy elements, each at a random position, hide the array's length.
            for _ in range(self.randbelow(self.decoys + 1)):
                output.insert(
                    self.randbelow(len(output) + 1), {ARRAY_DIGEST_KEY: self.decoy_digest()}
                )
        return output


def create_sd_jwt_payload(
    claims: Mapping[str, Any],
    disclosable: Collection[Sequence[str | int | None]],
    *,
    salt: Callable[[], str] = generate_salt,
    decoys: int = 0,
    decoy_digest: Callable[[], str] | None = None,
    randbelow: Callable[[int], int] = secrets.randbelow,
    sd_alg: str = DEFAULT_SD_ALG,
) -> SdJwtPayload:
    """Replace the claims at the ``disclosable`` paths by digests; return payload and Disclosures.

    Every path must name at least one claim (``ValueError`` otherwise), and
    the claims must not use ``_sd`` or ``...`` as names. Each object and array
    that gets digests also gets between 0 and ``decoys`` decoy digests
    (``randbelow`` picks the count and the array positions). ``salt`` makes
    each Disclosure's salt and ``decoy_digest`` each decoy (tests fix both).
    ``_sd_alg`` is set at the top level.

    Spec: rfc9901#name-issuer-signed-jwt
    """
    if not isinstance(claims, Mapping):
        raise TypeError("claims must be a JSON object (Mapping)")
    if decoys < 0:
        raise ValueError("decoys must not be negative")
    checked = [check_claim_path(path) for path in disclosable]
    embedder = _Embedder(
        salt=salt,
        decoys=decoys,
        decoy_digest=decoy_digest or (lambda: create_decoy_digest(sd_alg)),
        randbelow=randbelow,
        sd_alg=sd_alg,
        disclosures=[],
        used=set(),
    )
    # Steps 1-4 for every object and array, bottom-up.
    payload = embedder._embed_object(claims, [(path, path) for path in checked])
    unused = [list(path) for path in checked if path not in embedder.used]
    if unused:
        raise ValueError(f"disclosable paths that name no claim: {unused}")
    if SD_ALG_CLAIM in payload:
        raise ValueError(f"claims must not contain {SD_ALG_CLAIM}")
    # Step 5: the hash algorithm claim, at the top level only.
    payload[SD_ALG_CLAIM] = sd_alg
    return SdJwtPayload(payload, tuple(embedder.disclosures))


def _index_disclosures(disclosures: Sequence[Disclosure]) -> dict[str, Disclosure]:
    """Map digest to Disclosure; the same Disclosure twice is refused."""
    by_digest: dict[str, Disclosure] = {}
    for disclosure in disclosures:
        if disclosure.digest in by_digest:
            raise SdJwtError(
                f"Disclosure {disclosure.encoded[:16]}… is sent more than once",
                code="DUPLICATE_DISCLOSURE",
            )
        by_digest[disclosure.digest] = disclosure
    return by_digest


def _array_digest(element: object) -> str | None:
    """The digest an array element ``{"...": digest}`` stands for, else ``None``."""
    if isinstance(element, dict) and ARRAY_DIGEST_KEY in element:
        digest = element[ARRAY_DIGEST_KEY]
        if len(element) != 1 or not isinstance(digest, str):
            raise SdJwtError(f"an array element may hold {ARRAY_DIGEST_KEY!r} only as a digest")
        return digest
    return None


def _object_digests(node: Mapping[str, Any], *, top: bool) -> list[str]:
    """The ``_sd`` digests of an object; refuse misplaced reserved names."""
    if ARRAY_DIGEST_KEY in node:
        raise SdJwtError(f"{ARRAY_DIGEST_KEY!r} is not a claim name")
    if not top and SD_ALG_CLAIM in node:
        raise SdJwtError(f"{SD_ALG_CLAIM} may appear at the top level of the payload only")
    digests = node.get(SD_DIGESTS_KEY, [])
    if not isinstance(digests, list) or not all(isinstance(d, str) for d in digests):
        raise SdJwtError(f"{SD_DIGESTS_KEY} must be an array of digest strings")
    return digests


@dataclass(slots=True)
class _Processor:
    """The verifier's walk (state of one process_sd_jwt_payload call)."""

    by_digest: dict[str, Disclosure]
    seen: set[str]
    used: set[str]

    def _reference(self, digest: str) -> Disclosure | None:
        # Step 4: a digest may appear only once in the payload and the Disclosures.
        if digest in self.seen:
            raise SdJwtError(f"digest {digest} appears more than once", code="DUPLICATE_DISCLOSURE")
        self.seen.add(digest)
        disclosure = self.by_digest.get(digest)
        if disclosure is not None:
            self.used.add(digest)
        return disclosure

    def process(self, node: Any) -> Any:
        # Implementation note: exact types (parsed JSON holds only dict and list containers);
        # scalars are returned as they are without a call per value.
        if type(node) is dict:
            return self._process_object(node, top=False)
        if type(node) is list:
            return self._process_array(node)
        return node

    def _process_object(self, node: dict[str, Any], *, top: bool) -> JsonObject:
        # Step 3.2.1: objects with an _sd array of strings.
        digests = _object_digests(node, top=top)
        output: JsonObject = {}
        for name, value in node.items():
            if name == SD_DIGESTS_KEY or (top and name == SD_ALG_CLAIM):
                continue
            kind = type(value)
            output[name] = value if kind is not dict and kind is not list else self.process(value)
        for digest in digests:
            # Step 3.3.1: find the Disclosure; a digest without one is ignored (a decoy, or hidden).
            disclosure = self._reference(digest)
            if disclosure is None:
                continue
            # Step 3.3.2.1: it must be [salt, name, value].
            if disclosure.name is None:
                raise SdJwtError(
                    f"array-element Disclosure {disclosure.encoded[:16]}… is "
                    "referenced from an object",
                    code="INVALID_DISCLOSURE",
                )
            # Step 3.3.2.2 (parse_disclosure refused _sd and ...); 3.3.2.3: no name clash.
            if disclosure.name in output:
                raise SdJwtError(
                    f"disclosed claim {disclosure.name!r} already exists", code="INVALID_DISCLOSURE"
                )
            # Steps 3.3.2.4-5: insert the claim, processing its value recursively.
            output[disclosure.name] = self.process(disclosure.value)
        # Step 3.5: the _sd keys are gone; Step 3.6: so is _sd_alg (top level).
        return output

    def _process_array(self, node: list[Any]) -> list[Any]:
        output: list[Any] = []
        for element in node:
            # Step 3.2.2: elements that are {"...": digest}.
            digest = _array_digest(element)
            if digest is None:
                output.append(self.process(element))
                continue
            disclosure = self._reference(digest)
            # Step 3.4: elements whose digest has no Disclosure are removed.
            if disclosure is None:
                continue
            # Step 3.3.3.1: it must be [salt, value].
            if disclosure.name is not None:
                raise SdJwtError(
                    f"object-property Disclosure {disclosure.encoded[:16]}… is "
                    "referenced from an array",
                    code="INVALID_DISCLOSURE",
                )
            # Steps 3.3.3.2-3: the value replaces the element, processed recursively.
            output.append(self.process(disclosure.value))
        return output


def process_sd_jwt_payload(
    payload: Mapping[str, Any], disclosures: Sequence[Disclosure]
) -> JsonObject:
    """Rebuild the claims from an (already verified) payload and the Disclosures sent with it.

    Raises ``SdJwtError``: ``DUPLICATE_DISCLOSURE`` when a Disclosure is sent
    twice or a digest appears twice, ``UNREFERENCED_DISCLOSURE`` when no digest
    refers to a Disclosure, ``INVALID_DISCLOSURE`` for a Disclosure of the wrong
    kind or a claim name that exists already, ``INVALID_SD_JWT`` for a
    malformed ``_sd``, a ``...`` claim or a nested ``_sd_alg``.

    Spec: rfc9901#name-verification-of-the-sd-jwt
    """
    # Step 3.1: the digest of every Disclosure (parse_disclosure computed them).
    processor = _Processor(_index_disclosures(disclosures), set(), set())
    # Steps 3.2-3.6 and 4.
    processed = processor._process_object(dict(payload), top=True)
    # Step 5: every Disclosure must be referenced, directly or through another one.
    unreferenced = [d for d in disclosures if d.digest not in processor.used]
    if unreferenced:
        raise SdJwtError(
            f"Disclosure {unreferenced[0].encoded[:16]}… is referenced by no digest",
            code="UNREFERENCED_DISCLOSURE",
        )
    return processed


@dataclass(slots=True)
class _Selector:
    """The holder's walk towards the requested claims (one select_disclosures call)."""

    by_digest: Mapping[str, Disclosure]
    selected: set[str]

    def _members(self, node: Mapping[str, Any]) -> list[tuple[str, Any, str | None]]:
        """(name, raw value, digest or None) of every claim the holder can reveal."""
        members: list[tuple[str, Any, str | None]] = [
            (name, value, None) for name, value in node.items() if name not in _RESERVED
        ]
        for digest in node.get(SD_DIGESTS_KEY, ()):
            disclosure = self.by_digest.get(digest)
            if disclosure is not None and disclosure.name is not None:
                members.append((disclosure.name, disclosure.value, digest))
        return members

    def _elements(self, node: list[Any]) -> list[tuple[Any, str | None]]:
        """(raw value, digest or None) of every element the holder can reveal, in order."""
        elements: list[tuple[Any, str | None]] = []
        for element in node:
            digest = _array_digest(element)
            if digest is None:
                elements.append((element, None))
            elif (disclosure := self.by_digest.get(digest)) is not None:
                elements.append((disclosure.value, digest))
        return elements

    def everything(self, node: Any) -> None:
        """Select every Disclosure inside ``node`` (a whole object or array was asked for)."""
        if isinstance(node, dict):
            for _, value, digest in self._members(node):
                if digest is not None:
                    self.selected.add(digest)
                self.everything(value)
        elif isinstance(node, list):
            for value, digest in self._elements(node):
                if digest is not None:
                    self.selected.add(digest)
                self.everything(value)

    def select(self, node: Any, path: ClaimPath, chain: tuple[str, ...]) -> bool:
        """Select the Disclosures reaching the claims ``path`` names in ``node``; any found?"""
        if not path:
            self.selected.update(chain)
            self.everything(node)
            return True
        head, rest = path[0], path[1:]
        if isinstance(head, str):
            if not isinstance(node, dict):
                return False
            candidates = [(v, d) for name, v, d in self._members(node) if name == head]
        else:
            if not isinstance(node, list):
                return False
            elements = self._elements(node)
            if head is None:
                candidates = elements
            else:
                candidates = [elements[head]] if head < len(elements) else []
        found = False
        for value, digest in candidates:
            found |= self.select(value, rest, chain if digest is None else (*chain, digest))
        return found


def select_disclosures(
    payload: Mapping[str, Any],
    disclosures: Sequence[Disclosure],
    paths: Collection[Sequence[str | int | None]],
) -> tuple[Disclosure, ...]:
    """Choose the Disclosures that reveal the claims at ``paths`` (and nothing else).

    A path is processed as if every Disclosure were revealed (integer indexes
    count the elements the holder can reveal). A path to an object or array
    reveals all of it. Raises ``SdJwtError``: ``CLAIM_NOT_FOUND`` when a path
    names no claim, ``INVALID_SD_JWT`` when a path is malformed. The result
    keeps the issued order.

    Spec: rfc9901#name-processing-by-the-holder
    """
    selector = _Selector(_index_disclosures(disclosures), set())
    for path in paths:
        try:
            checked = check_claim_path(path)
        except ValueError as exc:
            raise SdJwtError(str(exc)) from exc
        # Steps 1-2: each chosen Disclosure's digest is in the payload or in another chosen one.
        if not selector.select(payload, checked, ()):
            raise SdJwtError(f"no claim at path {list(checked)!r}", code="CLAIM_NOT_FOUND")
    return tuple(d for d in disclosures if d.digest in selector.selected)
