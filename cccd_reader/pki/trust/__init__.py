"""Trust anchors for passive authentication, and DSC -> CSCA path validation.

A TrustStore holds what an organisation decided to trust:

* CSCA certificates (self-issued CA certificates), from files, directories or ICAO/CSCA master
  lists; link certificates (a CSCA's new key certified by its old one) are kept apart and are
  trusted only once their own signature verifies with a CSCA of the store;
* CRLs, used only after their signature verified with the CSCA that issued them;
* pinned Document Signer certificates. Vietnam's CSCA certificate is not public, so an
  organisation that verified a DSC out of band can pin it: a pinned DSC is then a trust anchor
  of its own (the chain check passes on exact certificate equality; no CSCA, CSCA validity or
  CRL applies to it). Any non-CA certificate found in a trust file or directory is pinned.

Path validation follows ICAO 9303 Part 12 (§5, §7): one CSCA per country, no intermediate CAs
except link certificates, the DSC validated at the time the document was signed (the chain
model), not today. Unknown critical extensions make a certificate unusable, as RFC 5280 says.
A link certificate is checked against its CSCA's CRLs like a DSC: revoking the new key must
cut every path through it. The DSC's country must be the document's issuing state: with many
countries' CSCAs trusted, a DSC key stolen from one state must not pass for another's.

The package, by responsibility: :mod:`.certs` (parsing, names, "did this CA issue that"),
:mod:`.files` (where trust files live, size bounds, PEM), :mod:`.index` and :mod:`.cache`
(index keys from DER headers, cached on disk), :mod:`.store_index` (the store's lazy index),
:mod:`.loading`, :mod:`.master_lists`, :mod:`.paths` (path building, country binding),
:mod:`.crls` and :mod:`.revocation`, :mod:`.seen` (document signers seen), and
:mod:`.store` (the :class:`TrustStore` assembled from them). The public names are
re-exported here.
"""

from __future__ import annotations

from cccd_reader.pki.countries import mrz_state_code as mrz_state_code
from cccd_reader.pki.trust.certs import UNDERSTOOD_CRITICAL as UNDERSTOOD_CRITICAL
from cccd_reader.pki.trust.certs import Cert as Cert
from cccd_reader.pki.trust.certs import MasterListError as MasterListError
from cccd_reader.pki.trust.certs import TrustError as TrustError
from cccd_reader.pki.trust.certs import check_issued_by as check_issued_by
from cccd_reader.pki.trust.certs import same_name as same_name
from cccd_reader.pki.trust.certs import same_name_as_rdn_set as same_name_as_rdn_set
from cccd_reader.pki.trust.certs import valid_at as valid_at
from cccd_reader.pki.trust.crls import UNDERSTOOD_CRITICAL_CRL as UNDERSTOOD_CRITICAL_CRL
from cccd_reader.pki.trust.crls import Crl as Crl
from cccd_reader.pki.trust.files import CERT_EXTENSIONS as CERT_EXTENSIONS
from cccd_reader.pki.trust.files import DEFAULT_TRUST_DIR as DEFAULT_TRUST_DIR
from cccd_reader.pki.trust.files import MAX_CERTS_PER_FILE as MAX_CERTS_PER_FILE
from cccd_reader.pki.trust.files import MAX_DIRECTORY_FILES as MAX_DIRECTORY_FILES
from cccd_reader.pki.trust.files import MAX_TRUST_FILE_BYTES as MAX_TRUST_FILE_BYTES
from cccd_reader.pki.trust.files import default_trust_dirs as default_trust_dirs
from cccd_reader.pki.trust.files import pem_blocks as pem_blocks
from cccd_reader.pki.trust.files import trust_dir as trust_dir
from cccd_reader.pki.trust.master_lists import MASTER_LIST_OID as MASTER_LIST_OID
from cccd_reader.pki.trust.master_lists import ML_SIGNING_EKU_OID as ML_SIGNING_EKU_OID
from cccd_reader.pki.trust.master_lists import MasterListReport as MasterListReport
from cccd_reader.pki.trust.paths import ChainReason as ChainReason
from cccd_reader.pki.trust.paths import ChainResult as ChainResult
from cccd_reader.pki.trust.paths import LinkState as LinkState
from cccd_reader.pki.trust.paths import compare_issuing_state as compare_issuing_state
from cccd_reader.pki.trust.paths import country_binding as country_binding
from cccd_reader.pki.trust.store import TrustStore as TrustStore

__all__ = [
    "CERT_EXTENSIONS",
    "DEFAULT_TRUST_DIR",
    "MASTER_LIST_OID",
    "MAX_CERTS_PER_FILE",
    "MAX_DIRECTORY_FILES",
    "MAX_TRUST_FILE_BYTES",
    "ML_SIGNING_EKU_OID",
    "UNDERSTOOD_CRITICAL",
    "UNDERSTOOD_CRITICAL_CRL",
    "Cert",
    "ChainReason",
    "ChainResult",
    "Crl",
    "LinkState",
    "MasterListError",
    "MasterListReport",
    "TrustError",
    "TrustStore",
    "check_issued_by",
    "compare_issuing_state",
    "country_binding",
    "default_trust_dirs",
    "mrz_state_code",
    "pem_blocks",
    "same_name",
    "same_name_as_rdn_set",
    "trust_dir",
    "valid_at",
]
