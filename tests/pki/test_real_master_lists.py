"""Issue 27: master lists as states really publish them.

The German (BSI) and Dutch master lists are committed as test data (``data/master-lists``,
provenance in its README). Import and load keep every usable certificate, report each unusable
one (file, index, subject, reason) as a warning, and refuse a list whole only when the list
itself fails (signature, signer chain, size caps).
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from asn1crypto import cms

from cccd_reader import dump
from cccd_reader.cli import main
from cccd_reader.pki.trust import Cert, MasterListError, TrustStore
from cccd_reader.pki.trust.index import master_list_slices
from cccd_reader.verify import verify
from cccd_sim import bends, trust_lists
from cccd_sim import pki as sim_pki
from tests.conftest import REPO, SAMPLES

LISTS = Path(__file__).parent / "data" / "master-lists"
DE = LISTS / "DE_ML_2026-05-28-08-28-45.ml"
NL = LISTS / "NL_ML_2026-07-22.ml"
NOW = datetime(2026, 9, 1, tzinfo=UTC)
VN_CARD = SAMPLES / "vn-cccd-2021-nguyen-thi-ngoc-anh"


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCCD_TRUST_DIR", str(tmp_path / "trust"))
    monkeypatch.setenv("CCCD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CCCD_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture(scope="module")
def both() -> TrustStore:
    return TrustStore.from_paths([DE, NL], include_default=False)


def listed_der(path: Path) -> list[bytes]:
    """The certificates of a real list, byte for byte."""
    info = cms.ContentInfo.load(path.read_bytes())
    econtent = bytes(info["content"]["encap_content_info"]["content"].contents)
    return [econtent[o:o + n] for o, n in master_list_slices(econtent)]


def test_both_public_lists_load_whole(both: TrustStore) -> None:
    de, nl = both.master_lists
    assert (de.trusted, nl.trusted) == (True, True)
    assert (de.listed, nl.listed) == (588, 411)
    assert both.master_list_usage(de) == (588, 0)
    assert both.master_list_usage(nl) == (411, 0)
    assert both.warnings == []
    subjects = [c.subject.human_friendly for c in both.cscas]
    assert any("CSCA ePassport Vietnam" in s for s in subjects)
    # the profile bends real lists carry are accepted with a note, as the issue asks
    bends_noted = [n for n in both.notes if "bends the profile" in n]
    assert len(bends_noted) >= 8 and all(".ml#" in n for n in bends_noted)


def test_published_link_certificates_anchor_their_own_key(both: TrustStore) -> None:
    """The Latvian link certificate that once sank the whole German list: its older CSCA is
    not in the list, so it anchors its own key, with a note naming it."""
    latvia = [link for link in both.links if "CSCA Latvia" in link.subject.human_friendly]
    assert latvia
    states = {both.link_state(link).state for link in latvia}
    assert "own" in states and "refused" not in states
    assert any("CSCA Latvia" not in n and "anchors its own key" in n and "#4" in n
               for n in both.notes)
    anchored = [link for link in both.links if both.link_state(link).state == "anchored"]
    assert len(anchored) > 150


def test_samples_verified_against_the_public_lists(both: TrustStore) -> None:
    """The synthetic Vietnamese card is signed under a CSCA key the lists do not carry (they
    carry the real Vietnamese passport CSCA): missing trust, never forgery."""
    result = verify(dict(dump.load(VN_CARD).files), both, now=NOW)
    chain = result.check("dsc_chain")
    assert chain is not None and chain.code == "dsc_chain.key_not_trusted"
    assert chain.params["country"] == "VN"
    assert result.verdict == "unverified"
    for sample in sorted(SAMPLES.glob("*/card.json")):
        assert verify(dict(dump.load(sample.parent).files), both, now=NOW).verdict in (
            "unverified", "genuine"), sample.parent.name
    # with the test CSCA beside them, the card is genuine: the lists take nothing away
    both_and_test = TrustStore.from_paths([DE, NL, SAMPLES / "pki" / "csca-vn.der"],
                                          include_default=False)
    assert verify(dict(dump.load(VN_CARD).files), both_and_test, now=NOW).verdict == "genuine"


def test_cccd_trust_import_of_both_lists_exits_0_and_list_counts_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["trust", "import", str(DE), str(NL)]) == 0
    out = capsys.readouterr().out
    assert out.count("imported ") == 2
    # importing a list trusts whoever signed it: the import names the signer to check
    assert out.count("master list signed by subject") == 2
    assert "CSCA Master List Signer" in out and "(pass: 588 of 588 certificates trusted)" in out
    assert main(["trust", "list"]) == 0
    listing = capsys.readouterr().out
    assert "588 certificates: 588 used, 0 skipped" in listing
    assert "411 certificates: 411 used, 0 skipped" in listing
    assert main(["trust", "list", "--json"]) == 0
    import json

    doc = json.loads(capsys.readouterr().out)
    assert [(m["used"], m["skipped"]) for m in doc["master_lists"]] == [(588, 0), (411, 0)]


# --- bad input ----------------------------------------------------------------------------------


def _names_own_key(der: bytes) -> bool:
    cert = Cert.load(der)
    return cert.self_signed and cert.aki is not None and cert.aki == cert.ski


def untidy_list(tmp_path: Path) -> tuple[Path, list[int]]:
    """The German list's certificates, 5 % of them broken three ways, re-signed by a synthetic
    Master List Signer whose CSCA the list carries."""
    ders = listed_der(DE)
    own = trust_lists.synthetic_csca(0, "untidy", "DE")
    signer, key = bends.ml_signer(own, "untidy")
    broken: list[int] = []
    csca = sim_pki.default_pki().cscas["csca-vn"]
    for n, start in enumerate(range(3, len(ders), 20)):  # every 20th: 5 %
        index = start
        if n % 3 == 0:
            ders[index] = b"\x30\x06\x02\x01\x01\x02\x01\x02"  # a SEQUENCE, not a certificate
        elif n % 3 == 1:
            # a flipped signature byte on a CSCA (naming its own key): it no longer verifies
            # with the key it names (a link whose issuer is not in trust would anchor its own
            # key whatever its signature: nothing there to check it against)
            while not _names_own_key(ders[index]):
                index += 1
            der = ders[index]
            ders[index] = der[:-3] + bytes([der[-3] ^ 0x55]) + der[-2:]
        else:
            # a Document Signer, no CA at all (each its own, so none is a duplicate)
            ders[index] = bends.der(bends.dsc_under(csca, 0x5644_8000 + n, f"untidy-{n}")
                                    .certificate)
        broken.append(index + 1)  # the list's own CSCA goes first
    data = bends.master_list_of_der([bends.der(own.certificate), *ders], signer, key)
    path = tmp_path / "untidy.ml"
    path.write_bytes(data)
    return path, broken


def test_a_list_with_five_percent_broken_entries_loads_the_rest(tmp_path: Path) -> None:
    path, broken = untidy_list(tmp_path)
    store = TrustStore.from_paths([path], include_default=False)
    report = store.master_lists[0]
    assert report.trusted and report.listed == 589
    used, skipped = store.master_list_usage(report)
    assert len(broken) == 30
    # a flipped signature byte on a link certificate still verifies nowhere: every damaged
    # entry is skipped, and nothing else
    assert skipped == len(broken) and used == 589 - len(broken)
    for index in broken:
        named = [w for w in store.warnings if f"untidy.ml#{index}:" in w]
        assert len(named) == 1, (index, store.warnings)
    assert len(store.warnings) == len(broken)
    assert any("CSCA ePassport Vietnam" in c.subject.human_friendly for c in store.cscas)


def test_cccd_trust_import_of_an_untidy_list_warns_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, broken = untidy_list(tmp_path)
    assert main(["trust", "import", str(path)]) == 0
    err = capsys.readouterr().err
    assert err.count("cccd: warning: ") == len(broken)
    assert main(["trust", "list"]) == 0
    assert f"589 certificates: {589 - len(broken)} used, {len(broken)} skipped" in (
        capsys.readouterr().out)


def test_a_truncated_list_is_refused_with_its_name(tmp_path: Path) -> None:
    cut = tmp_path / "cut-DE.ml"
    data = DE.read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(MasterListError, match=r"cut-DE\.ml"):
        TrustStore.from_paths([cut], include_default=False)
    env = {**os.environ, "CCCD_TRUST_DIR": str(tmp_path / "trust")}
    proc = subprocess.run([sys.executable, "-m", "cccd_reader", "trust", "import", str(cut)],
                          capture_output=True, text=True, env=env, cwd=REPO, check=False)
    assert proc.returncode == 5
    assert "cut-DE.ml" in proc.stderr and "Traceback" not in proc.stderr
    # in a trust directory, the damaged list is named and the rest still loads
    directory = tmp_path / "dir"
    directory.mkdir()
    (directory / "cut-DE.ml").write_bytes(cut.read_bytes())
    (directory / "NL.ml").write_bytes(NL.read_bytes())
    store = TrustStore.from_paths([directory], include_default=False)
    assert [r.listed for r in store.master_lists] == [411]
    assert any("cut-DE.ml" in w for w in store.warnings)


def test_a_list_whose_signature_fails_is_refused_whole(tmp_path: Path) -> None:
    data = bytearray(NL.read_bytes())
    data[-10] ^= 0x01  # inside the SignerInfo's signature
    bad = tmp_path / "NL-resigned.ml"
    bad.write_bytes(bytes(data))
    with pytest.raises(MasterListError, match=r"NL-resigned\.ml"):
        TrustStore.from_paths([bad], include_default=False)
