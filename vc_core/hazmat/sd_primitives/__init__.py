"""Selective-disclosure primitives shared by SD cryptosuites (vc-di-ecdsa, vc-di-bbs).

Spec: vc-di-ecdsa#selective-disclosure-functions

- ``canonicalize``: label-replacement canonicalization, label map factories,
  ``relabel_blank_nodes``;
- ``skolemize``: skolemize / deskolemize expanded and compact JSON-LD and N-Quads;
- ``select``: JSON Pointers and selection of compact JSON-LD;
- ``group``: ``canonicalize_and_group``;
- ``mandatory``: ``hash_mandatory_nquads``.
"""
