<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>Checks</name>
    <message>
        <location filename="../labels.py" line="+48"/>
        <source>Security object (SOD) readable</source>
        <translation>Đọc được đối tượng bảo mật (SOD)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SOD signature</source>
        <translation>Chữ ký SOD</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Certificate chain (signer to CSCA)</source>
        <translation>Chuỗi chứng thư (DSC đến CSCA)</translation>
    </message>
    <message>
        <source>Signer&apos;s country is the issuing state</source>
        <translation>Quốc gia của bên ký là quốc gia cấp</translation>
    </message>
    <message>
        <source>Mandatory data (MRZ and photo) signed</source>
        <translation>Dữ liệu bắt buộc (MRZ và ảnh) đã được ký</translation>
    </message>
    <message>
        <source>MRZ check digits</source>
        <translation>Số kiểm tra của MRZ</translation>
    </message>
    <message>
        <source>Signed chip security data (CardSecurity)</source>
        <translation>Dữ liệu bảo mật chip đã ký (CardSecurity)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Document signer validity</source>
        <translation>Hiệu lực chứng thư ký (DSC)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSCA validity</source>
        <translation>Hiệu lực CSCA</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revocation list (CRL)</source>
        <translation>Danh sách thu hồi (CRL)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chip data consistent (DG1 vs DG13)</source>
        <translation>Dữ liệu chip khớp nhau (DG1 và DG13)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Active authentication (anti-cloning)</source>
        <translation>Xác thực chủ động (chống sao chép chip)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chip authentication (anti-cloning)</source>
        <translation>Xác thực chip (chống sao chép chip)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Personal number</source>
        <translation>Số định danh cá nhân</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date of birth</source>
        <translation>Ngày sinh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sex</source>
        <translation>Giới tính</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date of expiry</source>
        <translation>Ngày hết hạn</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>Họ tên</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>machine-readable zone</source>
        <translation>vùng đọc máy MRZ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>photo</source>
        <translation>ảnh chân dung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>additional personal details</source>
        <translation>thông tin cá nhân bổ sung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>additional document details</source>
        <translation>thông tin giấy tờ bổ sung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>personal data</source>
        <translation>thông tin công dân</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>chip security keys</source>
        <translation>khóa bảo mật của chip</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>active authentication key</source>
        <translation>khóa xác thực chủ động</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>Hash of %1</source>
        <translation>Mã băm %1</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <location filename="../export.py" line="+58"/>
        <source>Chip read report</source>
        <extracomment>(parent, caption, suggested file name, filter) -&gt; chosen path, or &quot;&quot; when cancelled.</extracomment>
        <translation>Báo cáo đọc chip</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printed %1 by cccd-desktop</source>
        <translation>In lúc %1 bằng cccd-desktop</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checks</source>
        <translation>Kiểm tra</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <location filename="../labels.py" line="-118"/>
        <source>Full name</source>
        <extracomment>Same marker under the same name (lupdate matches it textually), typed as returning str. Holder fields in the order a Vietnamese card prints them.</extracomment>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Personal number</source>
        <translation>Số định danh cá nhân</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date of birth</source>
        <translation>Ngày sinh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sex</source>
        <translation>Giới tính</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nationality</source>
        <translation>Quốc tịch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ethnicity</source>
        <translation>Dân tộc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Religion</source>
        <translation>Tôn giáo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Place of origin</source>
        <translation>Quê quán</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Place of residence</source>
        <translation>Nơi thường trú</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Identifying features</source>
        <translation>Đặc điểm nhận dạng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date of issue</source>
        <translation>Ngày cấp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date of expiry</source>
        <translation>Có giá trị đến</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Father</source>
        <translation>Họ tên cha</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mother</source>
        <translation>Họ tên mẹ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Spouse</source>
        <translation>Họ tên vợ/chồng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Old ID number</source>
        <translation>Số CMND cũ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Document number</source>
        <translation>Số giấy tờ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Issuing state</source>
        <translation>Quốc gia cấp</translation>
    </message>
    <message>
        <location line="+128"/>
        <source>No expiry (lifetime card)</source>
        <extracomment>Marker for &quot;no expiry date&quot;: rendered (and re-rendered on a language switch) as text.</extracomment>
        <translation>Không thời hạn</translation>
    </message>
</context>
<context>
    <name>KeyEntry</name>
    <message>
        <location filename="../keyentry.py" line="+129"/>
        <source>ID number</source>
        <translation>Số định danh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Personal number (12 digits)</source>
        <translation>Số định danh cá nhân (12 số)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vietnamese cards: the chip opens with the last 6 digits (the CAN).</source>
        <translation>Thẻ căn cước Việt Nam: chip được mở bằng 6 số cuối (mã CAN).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Card access number (6 digits)</source>
        <translation>Mã truy cập thẻ CAN (6 số)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printed on the card; on CCCD cards it is the last 6 digits of the personal number.</source>
        <translation>In trên thẻ; với thẻ CCCD đó là 6 số cuối của số định danh cá nhân.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Document number</source>
        <translation>Số giấy tờ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date of birth (YYMMDD)</source>
        <translation>Ngày sinh (YYMMDD)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date of expiry (YYMMDD)</source>
        <translation>Ngày hết hạn (YYMMDD)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From the machine-readable zone on the back; needed for passports and older chips.</source>
        <translation>Lấy từ vùng MRZ ở mặt sau; cần cho hộ chiếu và chip đời cũ.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scan the QR code on the card</source>
        <translation>Quét mã QR trên thẻ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>QR scanner input</source>
        <translation>Dữ liệu từ máy quét QR</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>The personal number has 12 digits (%1 typed).</source>
        <translation>Số định danh cá nhân có 12 số (đã nhập %1).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The CAN has 6 digits (%1 typed).</source>
        <translation>Mã CAN có 6 số (đã nhập %1).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Dates are 6 digits: year, month, day (YYMMDD).</source>
        <translation>Ngày gồm 6 số: năm, tháng, ngày (YYMMDD).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fill in the document number and both dates.</source>
        <translation>Hãy nhập số giấy tờ và cả hai ngày.</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>QR code read: key filled in.</source>
        <translation>Đã đọc mã QR: mã truy cập đã được điền.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This QR code is not from a Vietnamese ID card.</source>
        <translation>Mã QR này không phải của thẻ căn cước Việt Nam.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../window.py" line="+282"/>
        <source>CCCD reader — counter</source>
        <translation>Đầu đọc CCCD — quầy giao dịch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chip ID card reader</source>
        <translation>Đọc thẻ căn cước gắn chip</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reader:</source>
        <translation>Đầu đọc:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings…</source>
        <translation>Cài đặt…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>DEMO MODE: virtual chip with synthetic sample cards. The test CSCAs in samples/pki are trusted here — never do this for real cards.</source>
        <translation>CHẾ ĐỘ DEMO: chip ảo với thẻ mẫu tổng hợp. Các CSCA thử nghiệm trong samples/pki đang được tin cậy — không bao giờ làm vậy với thẻ thật.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tap card</source>
        <translation>Đặt thẻ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove card</source>
        <translation>Lấy thẻ ra</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Access key</source>
        <translation>Mã truy cập</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read card</source>
        <translation>Đọc thẻ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Card data stays on screen only: it is cleared when the card is removed or after %1 s without activity, and written to disk only when you export it.</source>
        <translation>Dữ liệu thẻ chỉ hiển thị trên màn hình: bị xóa khi lấy thẻ ra hoặc sau %1 giây không thao tác, và chỉ được lưu khi bạn xuất ra tệp.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reading the card…</source>
        <translation>Đang đọc thẻ…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep the card still on the reader.</source>
        <translation>Giữ yên thẻ trên đầu đọc.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show all checks</source>
        <translation>Xem tất cả kiểm tra</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export JSON…</source>
        <translation>Xuất JSON…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save PDF report…</source>
        <translation>Lưu báo cáo PDF…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear</source>
        <translation>Xóa dữ liệu</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>(no reader)</source>
        <translation>(không có đầu đọc)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(choose a reader)</source>
        <translation>(chọn đầu đọc)</translation>
    </message>
    <message>
        <location line="+178"/>
        <source>Try again</source>
        <translation>Thử lại</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Choose a reader</source>
        <translation>Hãy chọn đầu đọc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Several readers are connected: pick the contactless one in the list above.</source>
        <translation>Có nhiều đầu đọc đang kết nối: hãy chọn đầu đọc không tiếp xúc trong danh sách phía trên.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No reader</source>
        <translation>Chưa có đầu đọc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connect a contactless (NFC) PC/SC card reader.</source>
        <translation>Hãy kết nối đầu đọc thẻ không tiếp xúc (NFC) chuẩn PC/SC.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Place the card on the reader</source>
        <translation>Đặt thẻ lên đầu đọc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type the access key on the left (or scan the QR code) first; the card is read as soon as it is placed.</source>
        <translation>Nhập mã truy cập ở bên trái (hoặc quét mã QR) trước; thẻ sẽ được đọc ngay khi đặt lên.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Card detected</source>
        <translation>Đã phát hiện thẻ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enter the access key on the left, then press Read card.</source>
        <translation>Nhập mã truy cập ở bên trái, rồi bấm Đọc thẻ.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The previous data was cleared after a period without activity.</source>
        <translation>Dữ liệu trước đó đã bị xóa do không có thao tác.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Wrong access key</source>
        <translation>Sai mã truy cập</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The card refused the key. Check the personal number or CAN (the last 6 digits of the personal number), or the MRZ fields, then press Try again. Each key is tried only once, to protect the card.</source>
        <translation>Thẻ từ chối mã truy cập. Hãy kiểm tra số định danh hoặc mã CAN (6 số cuối của số định danh), hoặc các trường MRZ, rồi bấm Thử lại. Mỗi mã chỉ được thử một lần để bảo vệ thẻ.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This key cannot open the card</source>
        <translation>Loại mã này không mở được thẻ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This card does not accept this kind of key. Use the MRZ tab (document number, dates of birth and expiry) or the CAN.</source>
        <translation>Thẻ này không chấp nhận loại mã này. Hãy dùng thẻ MRZ (số giấy tờ, ngày sinh và ngày hết hạn) hoặc mã CAN.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The card moved away</source>
        <translation>Thẻ đã bị dịch ra</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The card left the reader during the read. Hold it flat and still on the reader, then press Try again.</source>
        <translation>Thẻ rời khỏi đầu đọc trong khi đọc. Đặt thẻ phẳng và giữ yên trên đầu đọc, rồi bấm Thử lại.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reader not available</source>
        <translation>Không dùng được đầu đọc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The reader cannot be used. Check its cable, or choose another reader.</source>
        <translation>Không thể sử dụng đầu đọc. Hãy kiểm tra cáp hoặc chọn đầu đọc khác.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connection to the card lost</source>
        <translation>Mất kết nối với thẻ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Communication with the card failed. Place it flat on the reader and press Try again.</source>
        <translation>Không liên lạc được với thẻ. Đặt thẻ phẳng trên đầu đọc và bấm Thử lại.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Unreadable card data</source>
        <translation>Dữ liệu thẻ không đọc được</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The card returned data this program cannot read.</source>
        <translation>Thẻ trả về dữ liệu mà chương trình này không đọc được.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The card refused a command</source>
        <translation>Thẻ từ chối một lệnh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The chip refused a request. It may be damaged or of an unsupported kind.</source>
        <translation>Chip từ chối một yêu cầu. Chip có thể bị hỏng hoặc thuộc loại chưa được hỗ trợ.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The card could not be read</source>
        <translation>Không đọc được thẻ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Something went wrong while reading. Try again; if it keeps failing, note the message below for support.</source>
        <translation>Đã xảy ra lỗi khi đọc. Hãy thử lại; nếu vẫn lỗi, ghi lại thông báo bên dưới để báo hỗ trợ.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Trust store not loaded: %1</source>
        <translation>Chưa nạp được kho tin cậy: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Trust store: %1 CSCA, %2 pinned document signers</source>
        <translation>Kho tin cậy: %1 CSCA, %2 chứng thư ký được ghim</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>demo: synthetic test CSCAs</source>
        <translation>demo: CSCA thử nghiệm tổng hợp</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Export card data</source>
        <translation>Xuất dữ liệu thẻ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JSON (*.json)</source>
        <translation>Tệp JSON (*.json)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Save PDF report</source>
        <translation>Lưu báo cáo PDF</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF (*.pdf)</source>
        <translation>Tệp PDF (*.pdf)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Demo: synthetic card, test trust anchors.</source>
        <translation>Demo: thẻ tổng hợp, gốc tin cậy thử nghiệm.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Saved %1</source>
        <translation>Đã lưu %1</translation>
    </message>
</context>
<context>
    <name>ResultView</name>
    <message>
        <location filename="../resultview.py" line="+334"/>
        <source>Card data</source>
        <translation>Dữ liệu thẻ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checks (%1)</source>
        <translation>Kiểm tra (%1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check</source>
        <translation>Kiểm tra</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Result</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Chip opened with %1.</source>
        <translation>Chip được mở bằng %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read in %1 s.</source>
        <translation>Đọc trong %1 giây.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 could not be decoded: %2</source>
        <translation>Không giải mã được %1: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The photo could not be shown (%1).</source>
        <translation>Không hiển thị được ảnh (%1).</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../settings.py" line="+175"/>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Automatic (the only contactless reader)</source>
        <translation>Tự động (đầu đọc không tiếp xúc duy nhất)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add file…</source>
        <translation>Thêm tệp…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add folder…</source>
        <translation>Thêm thư mục…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>Gỡ bỏ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CSCA or document signer certificates (DER/PEM), ICAO master lists (.ml) and CRLs. ~/.config/cccd-reader/trust is always read.</source>
        <translation>Chứng thư CSCA hoặc chứng thư ký (DER/PEM), danh sách gốc ICAO (.ml) và CRL. Thư mục ~/.config/cccd-reader/trust luôn được đọc.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reader</source>
        <translation>Đầu đọc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trust store</source>
        <translation>Kho tin cậy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear data after idle (seconds, 0 = never)</source>
        <translation>Xóa dữ liệu khi không thao tác (giây, 0 = không xóa)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Beep on success and failure</source>
        <translation>Phát tiếng bíp khi thành công và thất bại</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Leave the MRZ and ID numbers out of JSON exports</source>
        <translation>Không ghi MRZ và các số giấy tờ vào tệp JSON xuất ra</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Trust files</source>
        <translation>Tệp tin cậy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Certificates and master lists (*.der *.pem *.cer *.crt *.ml *.crl);;All (*)</source>
        <translation>Chứng thư và danh sách gốc (*.der *.pem *.cer *.crt *.ml *.crl);;Tất cả (*)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Trust folder</source>
        <translation>Thư mục tin cậy</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../labels.py" line="-96"/>
        <source>Passed</source>
        <translation>Đạt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>FAILED</source>
        <translation>KHÔNG ĐẠT</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not checked</source>
        <translation>Chưa kiểm tra</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not supported</source>
        <translation>Chưa hỗ trợ</translation>
    </message>
</context>
<context>
    <name>Steps</name>
    <message>
        <location line="+32"/>
        <source>Opening the chip (access control)</source>
        <translation>Mở chip (kiểm soát truy cập)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reading the file list (EF.COM)</source>
        <translation>Đọc danh sách tệp (EF.COM)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reading the security object (EF.SOD)</source>
        <translation>Đọc đối tượng bảo mật (EF.SOD)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Checking the chip is not a clone</source>
        <translation>Kiểm tra chip không bị sao chép</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verifying signatures and hashes</source>
        <translation>Xác minh chữ ký và mã băm</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Reading %1</source>
        <translation>Đọc %1</translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <location line="-79"/>
        <source>GENUINE</source>
        <extracomment>A symbol next to every status so meaning never rests on colour alone.</extracomment>
        <translation>HỢP LỆ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signature, certificate chain and every data hash verified.</source>
        <translation>Chữ ký, chuỗi chứng thư và mọi mã băm dữ liệu đều đã được xác minh.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>NOT GENUINE</source>
        <translation>KHÔNG HỢP LỆ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The chip data does not match its signature. Failed:</source>
        <translation>Dữ liệu chip không khớp với chữ ký. Không đạt:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>UNVERIFIED</source>
        <translation>CHƯA XÁC MINH</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Data intact, but no trusted certificate confirms the issuer. Not checked:</source>
        <translation>Dữ liệu nguyên vẹn, nhưng chưa có chứng thư tin cậy xác nhận cơ quan cấp. Chưa kiểm tra:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>INCONSISTENT</source>
        <translation>KHÔNG NHẤT QUÁN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signed correctly, but the chip&apos;s data groups disagree:</source>
        <translation>Chữ ký đúng, nhưng các nhóm dữ liệu trên chip không khớp nhau:</translation>
    </message>
</context>
<context>
    <name>VerdictBadge</name>
    <message>
        <location filename="../resultview.py" line="-209"/>
        <source>Click to see every check</source>
        <extracomment>Refuse to hand Qt or OpenCV anything larger: DG2 comes from an untrusted chip.</extracomment>
        <translation>Bấm để xem mọi kiểm tra</translation>
    </message>
</context>
</TS>
