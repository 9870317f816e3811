"""The trust store: what an organisation trusts, assembled from its parts (index, loading,
master lists, path building, revocation); see :mod:`cccd_reader.pki.trust`."""

from __future__ import annotations

import os
from collections.abc import Iterable

from cccd_reader.pki.trust.files import default_trust_dirs
from cccd_reader.pki.trust.loading import Loader
from cccd_reader.pki.trust.paths import PathBuilder
from cccd_reader.pki.trust.revocation import Revocation


class TrustStore(Loader, PathBuilder, Revocation):
    """What an organisation trusts; see the module docstring.

    Certificates from master lists, bundles and directories are *indexed* (by subject
    country and name, serial number, key identifier and fingerprint, read from their DER
    headers) and parsed in full, and filed as CSCA, link certificate or pinned DSC, only when
    a chain needs them, so a verification against a thousand CSCAs parses the two or three
    it uses. :attr:`cscas`, :attr:`links` and :attr:`pinned_dscs` classify everything first.
    """

    @classmethod
    def from_paths(
        cls, paths: Iterable[str | os.PathLike[str]] = (), *, include_default: bool = True
    ) -> TrustStore:
        """The default trust directories (when they exist) plus every ``--trust`` path."""
        store = cls()
        if include_default:
            for default in default_trust_dirs():
                if default.is_dir():
                    store.add_path(default)
        for path in paths:
            store.add_path(path)
        return store
