"""JSON-LD to RDF quads, and N-Quads in canonical form: serializing and parsing.

A quad is a tuple of its terms already serialized in canonical N-Quads form
(``Quad``). JSON-LD to RDF walks the expanded document itself (pyld's node map
was a third of the time); ``@direction`` uses ``i18n-datatype``; a string typed
``xsd:double`` stays as written, as JSON-LD 1.1 and jsonld.js require (pyld
would rewrite ``"1.50"`` to ``"1.5E0"``). Literals are escaped in canonical
N-Quads form, which pyld does not do for U+0008, U+000C, other controls and
U+007F.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from vc_core._jsonld.calls import pyld_calls, pyld_options
from vc_core._jsonld.compaction import is_expanded_fixpoint
from vc_core._jsonld.json_input import MAX_JSON_BYTES, MAX_JSON_DEPTH, copy_untrusted
from vc_core._jsonld.processor import PLAIN_PROCESSOR, expand_copy
from vc_core._jsonld.safe_mode import ABSOLUTE_IRI, check_portable_literal
from vc_core.errors import CanonicalizationLimitError, ParsingError
from vc_core.types import DocumentLoader

__all__ = [
    "BLANK_LABEL",
    "Quad",
    "expanded_quads",
    "json_ld_quads",
    "nquad_line",
    "parse_dataset",
    "quoted_literal",
    "relabel_nquads",
    "to_nquads",
    "unescape",
]

_XSD_STRING: Final = "http://www.w3.org/2001/XMLSchema#string"
_XSD_BOOLEAN: Final = "http://www.w3.org/2001/XMLSchema#boolean"
_XSD_INTEGER: Final = "http://www.w3.org/2001/XMLSchema#integer"
_XSD_DOUBLE: Final = "http://www.w3.org/2001/XMLSchema#double"
_RDF_LANGSTRING: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


# --- N-Quads terms (canonical N-Quads escaping) ------------------------------------------------

_LITERAL_SPECIAL: Final = re.compile('[\x00-\x1f"\\\\\x7f\ufffe\uffff\ud800-\udfff]')
_IRI_SPECIAL: Final = re.compile('[\x00-\x20<>"{}|^`\\\\\ud800-\udfff]')
_ECHAR: Final[Mapping[str, str]] = {
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}
_LANGUAGE_TAG: Final = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")
BLANK_LABEL: Final = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    echar = _ECHAR.get(char)
    if echar is not None:
        return echar
    if "\ud800" <= char <= "\udfff":
        raise ParsingError("a string contains an unpaired surrogate (not Unicode text)")
    return f"\\u{ord(char):04X}"


def _uchar(match: re.Match[str]) -> str:
    char = match.group()
    if "\ud800" <= char <= "\udfff":
        raise ParsingError("an IRI contains an unpaired surrogate (not Unicode text)")
    return f"\\u{ord(char):04X}"


def serialize_iri(iri: Any) -> str:
    """``<iri>``; characters IRIREF cannot hold are written as ``\\uXXXX`` (as jsonld.js does).

    Implementation note: results are memoized (vocabulary IRIs recur in every document).
    """
    serialized = _SERIALIZED_IRIS.get(iri) if type(iri) is str else None
    if serialized is not None:
        return serialized
    if not isinstance(iri, str):
        raise ParsingError(f"an IRI must be a string, got {type(iri).__name__}")
    if _IRI_SPECIAL.search(iri) is None:
        serialized = "<" + iri + ">"
    else:
        serialized = "<" + _IRI_SPECIAL.sub(_uchar, iri) + ">"
    if type(iri) is str:
        if len(_SERIALIZED_IRIS) >= _MAX_SERIALIZED_IRIS:
            _SERIALIZED_IRIS.clear()
        _SERIALIZED_IRIS[iri] = serialized
    return serialized


_SERIALIZED_IRIS: dict[str, str] = {}
_MAX_SERIALIZED_IRIS: Final = 16_384


def quoted_literal(value: str) -> str:
    """``value`` as a plain literal (``"…"``, escaped), if safe mode takes it as a literal.

    Raises ``ParsingError`` for a string safe mode refuses (see ``check_portable_literal``)
    or that is not Unicode text.
    """
    if not value.isprintable():
        check_portable_literal(value)
    return serialize_literal(value, _XSD_STRING, None)


def serialize_literal(value: Any, datatype: str, language: Any) -> str:
    """A literal in canonical N-Quads form.

    ``\\b \\t \\n \\f \\r \\" \\\\`` use ECHAR; other C0 controls, DEL, U+FFFE
    and U+FFFF use ``\\uXXXX`` with upper-case hex; all else is literal.
    """
    if not isinstance(value, str):
        raise ParsingError(f"literal value must be a string, got {type(value).__name__}")
    text: str = value
    if _LITERAL_SPECIAL.search(text) is not None:
        text = _LITERAL_SPECIAL.sub(_escape_char, text)
    quoted = '"' + text + '"'
    if datatype == _RDF_LANGSTRING:
        if not language:
            return quoted
        if not isinstance(language, str) or not _LANGUAGE_TAG.fullmatch(language):
            raise ParsingError(f"{language!r} is not a language tag")
        return quoted + "@" + language
    if datatype == _XSD_STRING:
        return quoted
    return quoted + "^^" + serialize_iri(datatype)


Quad = tuple[str, ...]
"""A quad as its serialized terms in canonical N-Quads form: subject, predicate,
object and, outside the default graph, graph name. Blank nodes are ``_:label``
(so they start with ``_``), IRIs ``<…>`` and literals ``"…"``."""


def nquad_line(terms: Quad, label: Callable[[str], str] | None = None) -> str:
    """One N-Quads line from serialized terms; ``label`` renames blank nodes (``_:`` ids)."""
    if label is not None:
        terms = tuple([label(term) if term[0] == "_" else term for term in terms])
    return " ".join(terms) + " .\n"


# --- N-Quads parsing ---------------------------------------------------------------------------

_BNODE: Final = r"_:([A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)"


def _nquad_pattern(iriref: str, string: str) -> re.Pattern[str]:
    """The N-Quads statement grammar over the given IRIREF and string-literal body patterns."""
    literal = rf'"({string})"(?:\^\^{iriref}|@([a-zA-Z]+(?:-[a-zA-Z0-9]+)*))?'
    return re.compile(
        rf"[ \t]*(?:{iriref}|{_BNODE})[ \t]+{iriref}[ \t]+(?:{iriref}|{_BNODE}|{literal})"
        rf"[ \t]*(?:(?:{iriref}|{_BNODE})[ \t]*)?\.[ \t]*\n?"
    )


_NQUAD: Final = _nquad_pattern(
    r'<((?:[^\x00-\x20<>"{}|^`\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*)>',
    r'(?:[^"\\\n\r]|\\[tbnrf"\'\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*',
)
# Implementation note: the same grammar without escape sequences; a statement
# without backslashes matches it (with the same groups) several times faster.
_PLAIN_NQUAD: Final = _nquad_pattern(r'<([^\x00-\x20<>"{}|^`\\]*)>', r'[^"\\\n\r]*')
_ESCAPE: Final = re.compile(r"\\(?:([tbnrf\"'\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")
_UNESCAPE_ECHAR: Final[Mapping[str, str]] = {
    "t": "\t",
    "b": "\b",
    "n": "\n",
    "r": "\r",
    "f": "\f",
    '"': '"',
    "'": "'",
    "\\": "\\",
}


def _unescape_char(match: re.Match[str]) -> str:
    echar, short, long = match.groups()
    if echar is not None:
        return _UNESCAPE_ECHAR[echar]
    code = int(short or long, 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise ParsingError(f"\\u escape {match.group()} is not a Unicode scalar value")
    return chr(code)


def unescape(text: str) -> str:
    return _ESCAPE.sub(_unescape_char, text) if "\\" in text else text


def _parse_nquad(line: str) -> Quad:
    """Parse one N-Quads statement into its terms in canonical form."""
    match = (
        _PLAIN_NQUAD.fullmatch(line) or _NQUAD.fullmatch(line) if isinstance(line, str) else None
    )
    if match is None:
        raise ParsingError(f"not an N-Quads statement: {line!r:.200}")
    (s_iri, s_bnode, p_iri, o_iri, o_bnode, lexical, datatype, language, g_iri, g_bnode) = (
        match.groups()
    )
    if lexical is None:
        obj = _parsed_node(o_iri, o_bnode)
    elif language is not None:
        obj = serialize_literal(unescape(lexical), _RDF_LANGSTRING, language)
    else:
        datatype = _XSD_STRING if datatype is None else unescape(datatype)
        if datatype == _RDF_LANGSTRING:
            raise ParsingError("an rdf:langString literal needs a language tag")
        obj = serialize_literal(unescape(lexical), datatype, None)
    terms = (_parsed_node(s_iri, s_bnode), serialize_iri(unescape(p_iri)), obj)
    if g_iri is not None or g_bnode is not None:
        return (*terms, _parsed_node(g_iri, g_bnode))
    return terms


def _parsed_node(iri: str | None, bnode: str | None) -> str:
    if iri is not None:
        return serialize_iri(unescape(iri))
    return "_:" + str(bnode)


def parse_each(nquads: Sequence[str]) -> list[Quad]:
    """Parse N-Quads statements, one per item, in order."""
    if isinstance(nquads, str):
        raise TypeError("nquads must be a sequence of statements, not one string")
    return [_parse_nquad(line) for line in nquads]


def parse_dataset(nquads: Sequence[str], *, max_bytes: int) -> list[Quad]:
    """Parse N-Quads statements into a dataset: each distinct statement once."""
    if sum(len(line) for line in nquads if isinstance(line, str)) > max_bytes:
        raise CanonicalizationLimitError(f"N-Quads input larger than {max_bytes} bytes")
    return list(dict.fromkeys(parse_each(nquads)))


_RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDF_TYPE: Final = "<" + _RDF + "type>"


class _RdfWriter:
    """Expanded JSON-LD to RDF quads (JSON-LD 1.1 "Deserialize JSON-LD to RDF").

    Implementation note: this walks the expanded document directly instead of
    building pyld's node map (pyld's ``to_rdf`` was a third of the time).
    Like pyld it skips triples with a relative IRI (safe mode has rejected
    those already) and relabels every blank node ``_:b0``, ``_:b1``, … in
    order of appearance. Value objects still go through pyld's
    ``_object_to_rdf`` (floats, ``@json``, ``@direction``). In safe mode a
    string literal with a character that RDF libraries serialize
    differently is refused (see :func:`check_portable_literal`).
    """

    def __init__(self, options: dict[str, Any], *, safe: bool) -> None:
        self.options = options
        # Implementation note: after safe mode every IRI is absolute already.
        self._safe = safe
        self.quads: list[Quad] = []
        self._seen: set[Quad] = set()
        self._blank_ids: dict[str, str] = {}
        self._blank_count = 0

    @property
    def issued_blank_nodes(self) -> int:
        """How many blank node labels (``_:bN``) the writer has issued."""
        return self._blank_count

    def _fresh_blank(self) -> str:
        label = f"_:b{self._blank_count}"
        self._blank_count += 1
        return label

    def _resource(self, iri: Any) -> str | None:
        """The term for an ``@id``/``@type`` value; ``None`` for a relative IRI."""
        if type(iri) is not str:
            return None
        if iri.startswith("_:"):
            term = self._blank_ids.get(iri)
            if term is None:
                term = self._blank_ids[iri] = self._fresh_blank()
            return term
        return self._iri(iri)

    def _iri(self, iri: str) -> str | None:
        """``<iri>`` for an absolute IRI; ``None`` for a relative one (outside safe mode)."""
        if not self._safe and not ABSOLUTE_IRI.fullmatch(iri):
            return None
        return _SERIALIZED_IRIS.get(iri) or serialize_iri(iri)

    def _emit(
        self, subject: str | None, predicate: str | None, obj: str | None, graph: str | None
    ) -> None:
        if subject is None or predicate is None or obj is None:
            return
        # A dataset is a set: a triple stated twice (a node described in two
        # places) is written once.
        quad = (subject, predicate, obj) if graph is None else (subject, predicate, obj, graph)
        if quad not in self._seen:
            self._seen.add(quad)
            self.quads.append(quad)

    def node(self, node: Mapping[str, Any], graph: str | None) -> str | None:
        """Write a node object's triples; return its term (``None`` if relative)."""
        subject = self._resource(node["@id"]) if "@id" in node else self._fresh_blank()
        for key, values in node.items():
            if key == "@type":
                for type_ in values:
                    self._emit(subject, _RDF_TYPE, self._resource(type_), graph)
            elif key == "@reverse":
                for prop, nodes in values.items():
                    predicate = self._property(prop)
                    for item in nodes:
                        self._emit(self.node(item, graph), predicate, subject, graph)
            elif key == "@graph":
                if subject is not None:
                    for item in values:
                        if "@value" not in item and "@list" not in item:
                            self.node(item, subject)
            elif key == "@included":
                for item in values:
                    self.node(item, graph)
            elif not key.startswith("@"):
                predicate = self._property(key)
                for item in values:
                    self._emit(subject, predicate, self.object(item, graph), graph)
        return subject

    def _property(self, iri: str) -> str | None:
        return None if iri.startswith("_:") else self._iri(iri)

    def object(self, item: Mapping[str, Any], graph: str | None) -> str | None:
        """The term for a property value, writing nested nodes and list cells."""
        if "@value" in item:
            return self._literal(item)
        if "@list" in item:
            return self._list(item["@list"], graph)
        return self.node(item, graph)

    def _literal(self, item: Mapping[str, Any]) -> str:
        """A value object as a literal term.

        Implementation note: strings, booleans and integers are handled here
        (as pyld does); floats, ``@json`` and ``@direction`` go to pyld. This
        also keeps a string typed xsd:double as it is, as JSON-LD 1.1 and
        jsonld.js do (pyld would rewrite "1.50" to "1.5E0").
        """
        value = item["@value"]
        kind = type(value)
        datatype = item.get("@type")
        if kind is str and self._safe and not value.isprintable():
            check_portable_literal(value)
        if kind is str and "@direction" not in item and datatype != "@json":
            language = item.get("@language")
            if language is not None:
                return serialize_literal(value, _RDF_LANGSTRING, language)
            return serialize_literal(value, datatype or _XSD_STRING, None)
        if kind is bool and datatype != "@json":
            return serialize_literal("true" if value else "false", datatype or _XSD_BOOLEAN, None)
        if kind is int and datatype not in ("@json", _XSD_DOUBLE) and abs(value) < 10**21:
            return serialize_literal(str(value), datatype or _XSD_INTEGER, None)
        literal: dict[str, Any] = PLAIN_PROCESSOR._object_to_rdf(item, None, None, self.options)
        return serialize_literal(literal["value"], literal["datatype"], literal.get("language"))

    def _list(self, items: list[Any], graph: str | None) -> str | None:
        if not items:
            return self._resource(_RDF + "nil")
        first, rest = self._resource(_RDF + "first"), self._resource(_RDF + "rest")
        head = cell = self._fresh_blank()
        for index, item in enumerate(items):
            self._emit(cell, first, self.object(item, graph), graph)
            following = self._fresh_blank() if index + 1 < len(items) else None
            self._emit(cell, rest, following or self._resource(_RDF + "nil"), graph)
            if following is not None:
                cell = following
        return head


def json_ld_quads(
    document: Any,
    document_loader: DocumentLoader,
    *,
    safe: bool = True,
    max_depth: int = MAX_JSON_DEPTH,
    max_bytes: int = MAX_JSON_BYTES,
) -> list[Quad]:
    """Safe-mode expansion and RDF conversion of an untrusted document, in writing order.

    :func:`to_nquads` gives the same quads as sorted N-Quads lines.
    """
    copied = copy_untrusted(document, max_depth=max_depth, max_bytes=max_bytes)
    options = pyld_options(document_loader)
    with pyld_calls():
        writer = _RdfWriter(options, safe=safe)
        for node in expand_copy(copied, options, safe=safe):
            if "@value" not in node and "@list" not in node:
                writer.node(node, None)
    return writer.quads


def expanded_quads(expanded: list[Any], *, document_loader: DocumentLoader) -> list[Quad] | None:
    """The RDF quads of a document in expanded form whose every node has an ``@id``.

    The quads are those :func:`json_ld_quads` gives for ``expanded`` in safe
    mode. ``None`` when ``expanded`` is not an expanded fixpoint (see
    ``is_expanded_fixpoint``) or a node has no ``@id`` (its blank node label
    would depend on key order); the caller then takes the general path.

    Implementation note: for ecdsa-sd-2023's skolemized documents, which
    every skolemized node has an ``@id`` in. Expanding a fixpoint gives it
    back, so it is neither copied nor expanded again: the caller owns it and
    it was made from a document that passed the size limits.
    """
    if not is_expanded_fixpoint(expanded):
        return None
    options = pyld_options(document_loader)
    with pyld_calls():
        writer = _RdfWriter(options, safe=True)
        for node in expanded:
            writer.node(node, None)
    return None if writer.issued_blank_nodes else writer.quads


def to_nquads(
    document: Any,
    *,
    document_loader: DocumentLoader,
    safe: bool = True,
    max_depth: int = MAX_JSON_DEPTH,
    max_bytes: int = MAX_JSON_BYTES,
) -> list[str]:
    """Convert JSON-LD (compact or expanded) to sorted N-Quads lines, not canonicalized.

    Blank nodes keep the labels pyld issues (``_:b0``…); literals use
    canonical N-Quads escaping; ``@direction`` uses ``i18n-datatype``.
    """
    quads = json_ld_quads(
        document, document_loader, safe=safe, max_depth=max_depth, max_bytes=max_bytes
    )
    return sorted(nquad_line(quad) for quad in quads)


def relabel_nquads(nquads: Sequence[str], labels: Mapping[str, str]) -> list[str]:
    """Rename blank nodes in N-Quads statements, keeping their order.

    ``labels`` maps old to new ids, both without ``_:``; unmapped blank nodes
    keep their id. Literals are never touched. Malformed statements raise
    ``ParsingError``; a new id that is not a blank-node label is ``ValueError``.
    """
    for new in labels.values():
        if not isinstance(new, str) or not BLANK_LABEL.fullmatch(new):
            raise ValueError(f"{new!r} is not a blank node label")

    def rename(label: str) -> str:
        return "_:" + labels.get(label[2:], label[2:])

    return [nquad_line(quad, rename) for quad in parse_each(nquads)]
