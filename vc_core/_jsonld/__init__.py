"""JSON-LD and RDFC-1.0 adapter: the only module that imports pyld.

Everything JSON-LD in blauwe-knop goes through the functions below. They add
what pyld 3.3 lacks (docs/protocols.md, P1–P4, P8, P9, P17):

- **Safe mode** (default). A property the context does not define raises
  :class:`DataLossError` (pyld's ``on_property_dropped`` hook), and so does
  anything ``to_rdf`` would silently drop: a relative or malformed IRI in
  ``@id``, ``@type``, a predicate or a datatype, a blank-node predicate, and a
  free-floating value. The base IRI is always ``None``; only the caller's
  document loader is used. ``@import`` is refused (pyld merges the importing
  context into its cached copy of the imported one).
- **Typed errors.** Malformed input raises :class:`ParsingError`; a failing
  loader surfaces as its own :class:`DocumentLoadError`; oversized input or a
  poison graph raises :class:`CanonicalizationLimitError`. No pyld error and
  no bare ``ValueError``/``KeyError`` escapes for untrusted input.
- **RDFC-1.0.** pyld calls the algorithm URDNA2015; here it is ``_rdfc_1_0``,
  using pyld's identifier issuers and Hash N-Degree Quads with SHA-256 or
  SHA-384. pyld differs from RDFC-1.0 (and from rdf-canonize, the JS
  reference) in ways fixed here: literals are escaped in canonical N-Quads
  form (pyld leaves U+0008, U+000C, other controls and U+007F raw), a quad
  mentioning a blank node twice counts once for it, and input labels that
  already start with ``c14n`` are relabelled too. Like rdf-canonize (unlike
  pyoxigraph), Hash N-Degree Quads lists a related blank node once per quad.
- **JSON-LD to RDF** walks the expanded document itself (pyld's node map was
  a third of the time); ``@direction`` uses ``i18n-datatype``. A string typed
  ``xsd:double`` stays as written, as JSON-LD 1.1 and jsonld.js require (pyld
  would rewrite ``"1.50"`` to ``"1.5E0"``).
- **Speed and isolation.** pyld's process-wide context cache is keyed by URL
  only, so one loader's content could leak into another's results. We always
  pass our own context resolver; its cache, and our memo of processed
  contexts, is shared only between loaders with the same ``cache_key``
  attribute (a loader without one gets a fresh cache per call). Expansion and
  compaction take fast paths that mirror pyld step for step for the part of
  JSON-LD credentials use, and hand anything else to pyld; what a term, an IRI
  or a compacted IRI means in an active context is memoized per context.
"""

from vc_core._imports import without_modules
from vc_core._jsonld.json_input import MAX_JSON_BYTES, MAX_JSON_DEPTH, copy_json, copy_untrusted
from vc_core._jsonld.safe_mode import ABSOLUTE_IRI

# Implementation note: on import, pyld picks a default remote document loader by importing
# requests or aiohttp (aiohttp, which pyHanko installs, alone takes 0.2 s). That loader is never
# used here (every call passes the caller's loader), so both stay hidden while the modules
# below import pyld, and its default becomes its dummy loader, which fetches nothing.
with without_modules("requests", "aiohttp"):
    from vc_core._jsonld.processor import compact, expand
    from vc_core._jsonld.quads import (
        BLANK_LABEL,
        Quad,
        expanded_quads,
        json_ld_quads,
        nquad_line,
        quoted_literal,
        relabel_nquads,
        to_nquads,
    )
    from vc_core._jsonld.rdfc import (
        MAX_BLANK_NODES,
        MAX_WORK,
        CanonicalResult,
        HashName,
        canonical_text,
        canonicalize,
        canonicalize_nquads,
        canonicalize_quads,
    )

__all__ = [
    "ABSOLUTE_IRI",
    "BLANK_LABEL",
    "MAX_BLANK_NODES",
    "MAX_JSON_BYTES",
    "MAX_JSON_DEPTH",
    "MAX_WORK",
    "CanonicalResult",
    "HashName",
    "Quad",
    "canonical_text",
    "canonicalize",
    "canonicalize_nquads",
    "canonicalize_quads",
    "compact",
    "copy_json",
    "copy_untrusted",
    "expand",
    "expanded_quads",
    "json_ld_quads",
    "nquad_line",
    "quoted_literal",
    "relabel_nquads",
    "to_nquads",
]
