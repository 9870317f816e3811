"""Loading trust material into the store: paths, directories, files, PEM bundles, single
certificates and CRLs. Unreadable parts are named in the store's warnings (file, index,
reason) and the rest still loads; a file with nothing usable is a :class:`TrustError`.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Literal

from cccd_reader.pki.trust import cache as trust_cache
from cccd_reader.pki.trust import files as trust_files
from cccd_reader.pki.trust.certs import Cert, TrustError
from cccd_reader.pki.trust.crls import Crl
from cccd_reader.pki.trust.files import CERT_EXTENSIONS, check_size, pem_blocks, read_bounded
from cccd_reader.pki.trust.master_lists import MasterLists
from cccd_reader.pki.trust.store_index import StoreEntry, bent_ca, keys_of


class Loader(MasterLists):
    """The ``add_*`` methods of the store."""

    def add_path(self, path: str | os.PathLike[str]) -> None:
        target = Path(path)
        if target.is_dir():
            self.add_directory(target)
        elif target.exists():
            self.add_file(target)
        else:
            raise TrustError(f"trust path {target} does not exist")

    def add_directory(self, directory: Path) -> None:
        """Load every trust file directly in ``directory`` (sub-directories are not searched).

        An unreadable file is named in :attr:`warnings` and the others still load. More than
        :data:`MAX_DIRECTORY_FILES` entries is refused (named) before any is read."""
        entries: list[Path] = []
        try:
            with os.scandir(directory) as scan:
                for item in scan:
                    entries.append(Path(item.path))
                    cap = trust_files.MAX_DIRECTORY_FILES
                    if len(entries) > cap:
                        raise TrustError(
                            f"{directory}: more than {cap} entries; split the "
                            "trust directory or use master lists"
                        )
        except OSError as exc:
            raise TrustError(f"cannot list {directory}: {exc.strerror}") from exc
        for entry in sorted(entries):
            if entry.is_dir():
                self.notes.append(f"{entry}: sub-directory ignored")
                continue
            suffixes = "".join(entry.suffixes).lower()
            if suffixes.endswith(".key.pem") or entry.suffix.lower() not in (
                *CERT_EXTENSIONS, ".pem", ".crl", ".ml"
            ):
                self.notes.append(f"{entry.name}: not a certificate, CRL or master list; ignored")
                continue
            try:
                self.add_file(entry)
            except TrustError as exc:
                self._warn(f"{exc}; skipped")

    def add_file(self, path: Path) -> None:
        data = read_bounded(path)
        suffix = path.suffix.lower()
        source = str(path)
        if suffix == ".ml":
            self.add_master_list(data, source=source)
        elif data.lstrip().startswith(b"-----BEGIN"):
            self._add_pem(data, source)
        elif suffix == ".crl":
            self.add_crl(data, source=source)
        elif not self._add_lazy(data, source):
            self.warnings.pop()
            self.notes.pop()
            raise TrustError(f"{source}: not a valid X.509 certificate")

    def _add_pem(self, data: bytes, source: str) -> None:
        """Every readable block of a PEM bundle; each unreadable one is named (file, index,
        reason) in :attr:`warnings`. A file with nothing readable is an error."""
        blocks = pem_blocks(data)
        usable = broken = 0
        many = len(blocks) > 1
        cap = trust_files.MAX_CERTS_PER_FILE
        if len(blocks) > cap:
            raise TrustError(f"{source}: {len(blocks)} PEM blocks, more than the {cap} allowed")
        certs = [der for kind, der, _ in blocks
                 if der is not None and kind in ("CERTIFICATE", "TRUSTED CERTIFICATE")]
        keyed = iter(trust_cache.keys_for(hashlib.sha256(data).hexdigest(), certs))
        for index, (kind, der, error) in enumerate(blocks):
            where = f"{source}#{index}" if many else source
            if der is None:
                self._warn(f"{where}: unreadable PEM block ({error}); skipped")
                broken += 1
            elif kind in ("CERTIFICATE", "TRUSTED CERTIFICATE"):
                if not self._add_lazy(der, where, keyed=next(keyed)):
                    broken += 1
                else:
                    usable += 1
            elif kind == "X509 CRL":
                try:
                    self.add_crl(der, source=where)
                    usable += 1
                except TrustError as exc:
                    self._warn(f"{exc}; skipped")
                    broken += 1
            else:
                self.notes.append(f"{where}: PEM block '{kind}' ignored")
        if broken and not usable:
            for _ in range(broken):
                self.warnings.pop()
                self.notes.pop()
            raise TrustError(f"{source}: no readable certificate or CRL ({broken} unreadable)")

    def add_certificate(
        self,
        der: bytes,
        *,
        source: str = "",
        role: Literal["auto", "csca", "link", "dsc"] = "auto",
    ) -> Cert:
        """Add a certificate, parsed now; ``auto`` files self-signed CAs as CSCAs, other CAs
        as link certificates and everything else as pinned DSCs (a certificate without the CA
        flag whose keyUsage is keyCertSign without digitalSignature counts as a CA, with a
        note: see :func:`~cccd_reader.pki.trust.store_index.bent_ca`).

        A CSCA (a root) must be self-signed: self-issued with a signature that verifies with
        its own key. A CA certificate that merely carries its CSCA's name (a link certificate,
        or a forgery) is filed as a link certificate, which counts only once it verifies
        against a CSCA of the store, and that CSCA's CRLs apply to it.
        """
        check_size(der, source)
        cert = Cert.load(der, source)
        if role == "auto":
            if cert.is_ca or bent_ca(cert, False):
                role = "csca" if cert.self_signed else "link"
            else:
                role = "dsc"
        elif role == "csca" and not cert.self_signed:
            self.notes.append(
                f"{source or 'certificate'}: not self-signed, so not a root CSCA; "
                "kept as a link certificate (trusted only if a CSCA of the store issued it, "
                "or, when its issuer's key is not in trust, as an anchor of its own key)"
            )
            role = "link"
        if role in ("csca", "link") and not cert.is_ca and bent_ca(cert, False):
            self._bent.add(cert.fingerprint)
            self.notes.append(f"{source or 'certificate'}: '{cert.subject.human_friendly}' "
                              "bends the profile (no CA flag); accepted as a CA certificate")
        self._sync()
        for entry in self._by_fingerprint.get(cert.fingerprint, ()):
            self._classify(entry)
        entry = StoreEntry(cert.der, source, keys_of(cert))
        placed = self._place(entry, cert, role)
        if entry.role == role:
            self._index(entry)
        return placed

    def pin_dsc(self, der: bytes, *, source: str = "") -> Cert:
        return self.add_certificate(der, source=source, role="dsc")

    def add_crl(self, der: bytes, *, source: str = "") -> Crl:
        check_size(der, source)
        crl = Crl.load(der, source)
        if crl not in self.crls:
            self.crls.append(crl)
        return crl
