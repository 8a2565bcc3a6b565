"""blauwe_knop: the composition root that puts the issuer, wallet and verifier together.

Role packages never import each other; this package may import them all. It
holds the ``blauwe-knop`` command (:mod:`blauwe_knop.cli`, each package's
command group loaded when named), ``blauwe-knop demo`` (:mod:`blauwe_knop.demo`),
which runs the whole journey against a real issuer server on loopback, and the
loopback plumbing it needs (:mod:`blauwe_knop.servers`). Nothing imports this
package back.
"""

__all__: list[str] = []
