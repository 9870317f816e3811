"""The bank example page (docs/examples/bank-counter.html, served by docs/examples/bank_server.py)
in Debian's headless chromium, against the agent reading through pcscd + vpcd: read, Active
Authentication over the example server's challenge, a face check with a credited photo chosen
as a file, the evidence package, and the server's own check of it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest

from cccd_reader.agent import AgentConfig, AgentServer
from cccd_reader.agent.backend import PcscBackend
from cccd_sim.cards import chip_for_dump, config_for
from tests.agent.agent_support import HOLDER_NAME, PERSONAL_NUMBER
from tests.agent.test_agent_browser import Cdp, browser  # noqa: F401  (the fixture)
from tests.conftest import SAMPLES
from tests.evidence.support import bank_server_module
from tests.face.photos import PHOTOS, VARIANTS, dump_with_portrait

pytestmark = pytest.mark.pcsc

Insert = Callable[..., AbstractContextManager[str]]


@pytest.fixture
def bank_port() -> Iterator[int]:
    server = bank_server_module().make_server(0, [str(SAMPLES / "pki" / "csca-vn.der")])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _click(cdp: Cdp, element: str) -> None:
    cdp.wait_for(f"!document.getElementById('{element}').disabled")
    cdp.eval(f"document.getElementById('{element}').click()")


def _text(element: str) -> str:
    return f"document.getElementById('{element}').textContent"


def test_bank_page_read_aa_face_evidence_and_the_servers_check(
    pcsc_readers: list[str], vpcd_card: Insert, bank_port: int,
    browser: Cdp,  # noqa: F811
) -> None:
    card = dump_with_portrait(VARIANTS["jpeg2000"]("person_a_2"), fmt="jp2", sign=True)
    config = AgentConfig(port=0, allow_origins=(f"http://127.0.0.1:{bank_port}",),
                         backend=PcscBackend(poll_interval=0.1))
    with AgentServer(config) as agent, \
            vpcd_card(chip_for_dump(card, config_for(card.profile))):
        browser.call("Page.navigate",
                     url=f"http://127.0.0.1:{bank_port}/?agent=http://127.0.0.1:{agent.port}")
        browser.wait_for("document.readyState === 'complete' && "
                         "!!document.getElementById('card-key')")
        # the page never claims the Ministry's check: it says the bank makes it
        assert "chưa thực hiện" in browser.eval(_text("online"))
        browser.eval("document.getElementById('card-key').focus()")
        browser.call("Input.insertText", text=PERSONAL_NUMBER)
        _click(browser, "read-button")
        assert browser.wait_for(f"{_text('full-name')} || ''", timeout=30) == HOLDER_NAME
        assert browser.eval(_text("verdict")) == "Chip: unverified"  # the agent has no trust

        _click(browser, "aa-button")
        assert browser.wait_for(f"{_text('aa-out')} || ''") == "Chip: pass"

        root = browser.call("DOM.getDocument")["root"]["nodeId"]
        node = browser.call("DOM.querySelector", nodeId=root, selector="#live-file")["nodeId"]
        browser.call("DOM.setFileInputFiles", nodeId=node,
                     files=[str(PHOTOS / "person_a_1.jpg")])
        _click(browser, "face-button")
        face = browser.wait_for(f"/chip:/.test({_text('face-out')}) && {_text('face-out')}",
                                timeout=30)
        assert face.split(" ")[0] in ("likely_same", "check_by_eye"), face
        assert face.endswith("chip: unverified")

        _click(browser, "evidence-button")
        report = browser.wait_for(f"/Máy chủ/.test({_text('server-out')}) && "
                                  f"{_text('server-out')}", timeout=30)
    # the server trusts the sample CSCA: its own verdict, over its own challenge
    assert report == "Máy chủ / server: genuine (dữ liệu / data: genuine)", report
