<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>AgentSettingsSection</name>
    <message>
        <location filename="../agent_settings.py" line="+143"/>
        <source>Host the local agent for software at the counter (web pages, hospital software)</source>
        <extracomment>The reader device serves its Socket.IO on port 8000; HIS configurations name that port.</extracomment>
        <translation>Chạy dịch vụ cục bộ cho phần mềm tại quầy (trang web, phần mềm bệnh viện)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Agent port (0 = any free port)</source>
        <translation>Cổng dịch vụ (0 = cổng trống bất kỳ)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Web pages allowed (origins, separated by spaces)</source>
        <translation>Trang web được phép (origin, cách nhau bằng dấu cách)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reader-device Socket.IO endpoint for hospital software</source>
        <translation>Cổng Socket.IO như thiết bị đọc thẻ, cho phần mềm bệnh viện</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>port</source>
        <translation>cổng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Let programs on this PC listen without a token</source>
        <translation>Cho phép chương trình trên máy này nhận dữ liệu mà không cần mã token</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hospital software on the PC sends no web origin and the app&apos;s agent has no token: it can connect only with this option, which is the reader device&apos;s own level of protection (any program on this PC may receive the cards read).</source>
        <translation>Phần mềm bệnh viện trên máy không gửi origin của trang web và dịch vụ của ứng dụng không có mã token: nó chỉ kết nối được khi bật tùy chọn này, tức là mức bảo vệ của chính thiết bị đọc thẻ (mọi chương trình trên máy này đều có thể nhận dữ liệu thẻ đã đọc).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The Socket.IO endpoint needs a port of its own, not the agent&apos;s.</source>
        <translation>Cổng Socket.IO cần một cổng riêng, khác cổng của dịch vụ.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Changes here take effect the next time the app starts.</source>
        <translation>Các thay đổi ở đây có hiệu lực từ lần mở ứng dụng tiếp theo.</translation>
    </message>
</context>
<context>
    <name>Checks</name>
    <message>
        <location filename="../labels.py" line="+51"/>
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
        <location line="+7"/>
        <source>Signer&apos;s country is the issuing state</source>
        <translation>Quốc gia của bên ký là quốc gia cấp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mandatory data (MRZ and photo) signed</source>
        <translation>Dữ liệu bắt buộc (MRZ và ảnh) đã được ký</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>MRZ check digits</source>
        <translation>Số kiểm tra của MRZ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signed chip security data (CardSecurity)</source>
        <translation>Dữ liệu bảo mật chip đã ký (CardSecurity)</translation>
    </message>
    <message>
        <location line="-9"/>
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
        <location line="+6"/>
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
        <location line="+1"/>
        <source>Clone detection</source>
        <translation>Kiểm tra chống sao chép chip</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>QR vs chip: personal number</source>
        <translation>Mã QR so với chip: số định danh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>QR vs chip: name</source>
        <translation>Mã QR so với chip: họ tên</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>QR vs chip: date of birth</source>
        <translation>Mã QR so với chip: ngày sinh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>QR vs chip: sex</source>
        <translation>Mã QR so với chip: giới tính</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>QR vs chip: date of issue</source>
        <translation>Mã QR so với chip: ngày cấp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>QR vs chip: residence</source>
        <translation>Mã QR so với chip: nơi cư trú</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>QR vs chip: old ID number</source>
        <translation>Mã QR so với chip: số CMND cũ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>QR vs chip: date of expiry</source>
        <translation>Mã QR so với chip: ngày hết hạn</translation>
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
        <location line="+91"/>
        <source>Hash of %1</source>
        <translation>Mã băm %1</translation>
    </message>
</context>
<context>
    <name>Document</name>
    <message>
        <location line="+41"/>
        <source>Citizen ID card (CCCD, 2021)</source>
        <extracomment>Cards issued from this day follow the Law on Identification 2023 (the 2024 &quot;thẻ căn cước&quot;).</extracomment>
        <translation>Căn cước công dân gắn chip (2021)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Identity card (thẻ căn cước, 2024)</source>
        <translation>Thẻ căn cước (2024)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Passport</source>
        <translation>Hộ chiếu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Identity document</source>
        <translation>Giấy tờ tùy thân</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Female</source>
        <translation>Nữ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Male</source>
        <translation>Nam</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Unspecified</source>
        <translation>Không xác định</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Viet Nam</source>
        <extracomment>ICAO 9303-3 codes staff meet most; others are shown as the code itself.</extracomment>
        <translation>Việt Nam</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Utopia, ICAO specimen</source>
        <translation>Utopia, mẫu của ICAO</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>China</source>
        <translation>Trung Quốc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Republic of Korea</source>
        <translation>Hàn Quốc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Japan</source>
        <translation>Nhật Bản</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>United States</source>
        <translation>Hoa Kỳ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>France</source>
        <translation>Pháp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Germany</source>
        <translation>Đức</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>United Kingdom</source>
        <translation>Vương quốc Anh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Australia</source>
        <translation>Úc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Laos</source>
        <translation>Lào</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cambodia</source>
        <translation>Campuchia</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thailand</source>
        <translation>Thái Lan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Singapore</source>
        <translation>Singapore</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Russian Federation</source>
        <translation>Liên bang Nga</translation>
    </message>
</context>
<context>
    <name>Error</name>
    <message>
        <location line="+429"/>
        <source>The chip refused the access key.</source>
        <extracomment>What the app says about a library error, by ``CccdError.code`` (and then by class family in the window); the English ``str(exc)`` stays available as the technical detail.</extracomment>
        <translation>Chip từ chối mã truy cập.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The chip does not accept this kind of key.</source>
        <translation>Chip không nhận loại mã này.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The card left the reader.</source>
        <translation>Thẻ đã rời khỏi đầu đọc.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The reader is no longer connected.</source>
        <translation>Đầu đọc không còn được kết nối.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The card stopped answering.</source>
        <translation>Thẻ ngừng phản hồi.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Communication with the reader failed.</source>
        <translation>Không liên lạc được với đầu đọc.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The encrypted channel with the chip was broken.</source>
        <translation>Kênh mã hóa với chip bị gián đoạn.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The chip stopped sending a file part-way.</source>
        <translation>Chip ngừng gửi giữa chừng một tệp.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The chip refused a command.</source>
        <translation>Chip từ chối một lệnh.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A file the chip lists is missing.</source>
        <translation>Thiếu một tệp mà chip liệt kê.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The chip requires rights we do not have.</source>
        <translation>Chip đòi quyền truy cập mà chương trình không có.</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>The chip returned data that cannot be read.</source>
        <translation>Chip trả về dữ liệu không đọc được.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The machine-readable zone is not valid.</source>
        <translation>Vùng đọc bằng máy (MRZ) không hợp lệ.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The card reader service (pcscd) is not running or cannot be reached.</source>
        <translation>Dịch vụ đầu đọc thẻ (pcscd) chưa chạy hoặc không kết nối được.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The reader service reported a problem.</source>
        <translation>Dịch vụ đầu đọc báo lỗi.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unexpected error (code %1).</source>
        <translation>Lỗi không lường trước (mã %1).</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <location filename="../export.py" line="+148"/>
        <source>Chip read report</source>
        <extracomment>(parent, caption, suggested file name, filter) -&gt; chosen path, or &quot;&quot; when cancelled. &quot;Copy all&quot; and the spreadsheet exports: the order of the hospital and hotel registration forms (name, birth, sex, ID number, then nationality and addresses). A field the document lacks stays an empty cell, so columns line up when pasted row after row.</extracomment>
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
    <name>Face</name>
    <message>
        <location filename="../facecheck.py" line="+44"/>
        <source>Likely the same person</source>
        <extracomment>Band -&gt; (title, what the clerk does). Plain words; the numbers are shown smaller below.</extracomment>
        <translation>Có khả năng cùng một người</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The faces match well. Still look at the person yourself.</source>
        <translation>Hai khuôn mặt khớp tốt. Nhân viên vẫn cần tự nhìn người đối diện.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Check by eye</source>
        <translation>Cần nhân viên tự so sánh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The program cannot tell. Compare the two pictures yourself; ask for another document if in doubt.</source>
        <translation>Chương trình không kết luận được. Hãy tự so sánh hai ảnh; nếu còn nghi ngờ, đề nghị khách xuất trình giấy tờ khác.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Likely different people</source>
        <translation>Có khả năng khác người</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The faces do not match. Check carefully before going on; lighting, glasses or age can also cause this.</source>
        <translation>Hai khuôn mặt không khớp. Kiểm tra kỹ trước khi tiếp tục; ánh sáng, kính hoặc tuổi tác cũng có thể gây ra kết quả này.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>no face found</source>
        <extracomment>Refusal code (cccd_reader.face.REFUSAL_CODES) -&gt; the reason in words.</extracomment>
        <translation>không thấy khuôn mặt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>more than one face in the picture</source>
        <translation>có nhiều hơn một khuôn mặt trong ảnh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the face is too small (come closer)</source>
        <translation>khuôn mặt quá nhỏ (đề nghị khách đến gần hơn)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the head is turned too far (look at the camera)</source>
        <translation>đầu quay nghiêng quá nhiều (đề nghị khách nhìn thẳng vào camera)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the picture is blurred (hold still)</source>
        <translation>ảnh bị mờ (đề nghị khách giữ yên)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the chip is not genuine: its photo is not compared</source>
        <translation>chip không xác thực: không so sánh ảnh trong chip</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>chip photo</source>
        <translation>ảnh trong chip</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>camera picture</source>
        <translation>ảnh chụp</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>An aid to the clerk, not the bank&apos;s biometric authentication. No liveness check: a printed photo or a screen is not detected. Accuracy on Vietnamese faces has not been measured.</source>
        <translation>Chỉ hỗ trợ nhân viên, không phải xác thực sinh trắc học của ngân hàng. Không kiểm tra người thật (liveness): ảnh in hay màn hình đưa trước camera không bị phát hiện. Độ chính xác với khuôn mặt người Việt chưa được đo.</translation>
    </message>
</context>
<context>
    <name>FacePanel</name>
    <message>
        <location line="+311"/>
        <source>Stop camera</source>
        <translation>Tắt camera</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start camera</source>
        <translation>Bật camera</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Captured picture</source>
        <translation>Ảnh đã chụp</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not shown: the chip is not genuine.</source>
        <translation>Không hiển thị: chip không xác thực.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The photo could not be shown.</source>
        <translation>Không hiển thị được ảnh.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No photo from a chip yet.</source>
        <translation>Chưa có ảnh từ chip.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Camera could not be opened: %1</source>
        <translation>Không mở được camera: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start the camera, ask the customer to look at it, then press Capture.</source>
        <translation>Bật camera, đề nghị khách nhìn vào camera, rồi bấm Chụp và so sánh.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Comparing…</source>
        <translation>Đang so sánh…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The picture could not be used</source>
        <translation>Không dùng được ảnh</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not compared</source>
        <translation>Không so sánh</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Take another picture.</source>
        <translation>Hãy chụp lại.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Similarity %1 (likely same from %2, likely different below %3)</source>
        <translation>Độ tương đồng %1 (cùng người từ %2, khác người dưới %3)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Chip verdict: %1</source>
        <translation>Kết quả kiểm tra chip: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Face check</source>
        <translation>Kiểm tra khuôn mặt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Photo in the chip</source>
        <translation>Ảnh trong chip</translation>
    </message>
    <message>
        <location line="-59"/>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Capture and compare</source>
        <translation>Chụp và so sánh</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retake</source>
        <translation>Chụp lại</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <location filename="../labels.py" line="-703"/>
        <source>Full name</source>
        <extracomment>Same marker under the same name (lupdate matches it textually), typed as returning str. Holder fields in the order a Vietnamese card prints them.</extracomment>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <location line="+122"/>
        <source>Personal number</source>
        <translation>Số cá nhân</translation>
    </message>
    <message>
        <location line="-119"/>
        <source>Date of birth</source>
        <translation>Ngày sinh</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Document type</source>
        <translation>Loại giấy tờ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Personal ID number</source>
        <translation>Số định danh cá nhân</translation>
    </message>
    <message>
        <location line="+2"/>
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
        <translation>Nơi cư trú</translation>
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
        <location line="+102"/>
        <source>Permanent residence</source>
        <extracomment>Labels that differ by document, as each prints them: the 2024 card (Law on Identification 2023) prints &quot;Nơi cư trú&quot; and &quot;Nơi đăng ký khai sinh&quot;; the 2021 card &quot;Nơi thường trú&quot; and &quot;Quê quán&quot;; a passport&apos;s personal number is not the citizen ID number.</extracomment>
        <translation>Nơi thường trú</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Place of birth registration</source>
        <translation>Nơi đăng ký khai sinh</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name (as in the MRZ)</source>
        <translation>Họ tên (theo MRZ)</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>No expiry (lifetime card)</source>
        <extracomment>Marker for &quot;no expiry date&quot;: rendered (and re-rendered on a language switch) as text.</extracomment>
        <translation>Không thời hạn</translation>
    </message>
</context>
<context>
    <name>GuestListBar</name>
    <message>
        <location filename="../guestlist.py" line="+218"/>
        <source>Folder for the lodging workbooks</source>
        <translation>Thư mục lưu tệp khai báo lưu trú</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The folder already holds guest workbooks. Replace them?</source>
        <translation>Thư mục đã có tệp danh sách khách. Ghi đè?</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Guest list: %1</source>
        <translation>Danh sách khách: %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Added (%1 in the list)</source>
        <translation>Đã thêm (%1 khách trong danh sách)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 guests written; %2 cells to check (hover for details)</source>
        <translation>Đã ghi %1 khách; %2 ô cần kiểm tra (di chuột để xem chi tiết)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The workbooks could not be written (hover for details)</source>
        <translation>Không ghi được tệp (di chuột để xem chi tiết)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Arrival</source>
        <translation>Ngày đến</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Departure</source>
        <translation>Ngày đi dự kiến</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Room</source>
        <translation>Phòng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason…</source>
        <translation>Lý do…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason in words</source>
        <translation>Lý do (nhập chữ)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Required with the reason &quot;20 - Mục đích khác&quot;</source>
        <translation>Bắt buộc với lý do &quot;20 - Mục đích khác&quot;</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>2024 card: residence kind later</source>
        <translation>Thẻ 2024: nơi cư trú chọn sau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>2024 card: permanent</source>
        <translation>Thẻ 2024: thường trú</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>2024 card: temporary</source>
        <translation>Thẻ 2024: tạm trú</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>2024 card: other</source>
        <translation>Thẻ 2024: khác</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add to guest list</source>
        <translation>Thêm vào danh sách khách</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>With the arrival, departure, room and reason on the left</source>
        <translation>Với ngày đến, ngày đi, phòng và lý do bên trái</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export workbooks…</source>
        <translation>Xuất tệp khai báo…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The police portal&apos;s two workbooks: Vietnamese citizens and foreigners</source>
        <translation>Hai tệp mẫu của Cổng dịch vụ công: công dân Việt Nam và người nước ngoài</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clear list</source>
        <translation>Xóa danh sách</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <location filename="../history.py" line="+73"/>
        <source>This session&apos;s reads</source>
        <extracomment>Enough for a morning&apos;s queue; the oldest go first.</extracomment>
        <translation>Các lần đọc trong phiên này</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Kept in memory only; cleared when the program closes.</source>
        <translation>Chỉ lưu trong bộ nhớ; bị xóa khi đóng chương trình.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
</context>
<context>
    <name>KeyEntry</name>
    <message>
        <location filename="../keyentry.py" line="+205"/>
        <source>ID number</source>
        <extracomment>The far-date MRZ expiry of a lifetime card, tried after ``99MMDD`` of the birth date (:mod:`cccd_reader.access.lifetime`). The last QR payload scanned (QRData), for the QR-vs-chip comparison; cleared with the key. A lifetime card refused its first key (99MMDD): the key is now the second (991231).</extracomment>
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
        <source>Date of birth (dd/mm/yyyy)</source>
        <translation>Ngày sinh (ngày/tháng/năm)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date of expiry (dd/mm/yyyy)</source>
        <translation>Có giá trị đến (ngày/tháng/năm)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dates as printed on the card. Vietnamese cards: the document number is the last 9 digits of the personal number. Needed for passports and older chips.</source>
        <translation>Nhập ngày như in trên thẻ. Thẻ Việt Nam: số giấy tờ là 9 số cuối của số định danh cá nhân. Cần cho hộ chiếu và chip đời cũ.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No expiry (“Không thời hạn”)</source>
        <translation>Không thời hạn</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Not a date: type day/month/year, e.g. 12/05/1990.</source>
        <translation>Ngày không hợp lệ: nhập ngày/tháng/năm, ví dụ 12/05/1990.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type the date as day/month/year with 4-digit year, e.g. 12/05/1990.</source>
        <translation>Nhập ngày theo dạng ngày/tháng/năm, năm đủ 4 số, ví dụ 12/05/1990.</translation>
    </message>
    <message>
        <location line="-56"/>
        <source>Scan the QR code on the card</source>
        <translation>Quét mã QR trên thẻ</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Lifetime cards: the chip key first uses the expiry as their MRZ writes it (year 99, the birth day and month), then 31/12/2099; never more than these two.</source>
        <translation>Thẻ không thời hạn: mã mở chip thử trước ngày hết hạn như dòng MRZ của thẻ ghi (năm 99, ngày và tháng sinh), rồi 31/12/2099; không bao giờ thử quá hai mã này.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>QR scanner input</source>
        <translation>Dữ liệu từ máy quét QR</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>QR code scanned into the key field: press Enter to use it.</source>
        <translation>Mã QR đã được quét vào ô nhập mã: nhấn Enter để dùng.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The personal number has 12 digits (%1 typed).</source>
        <translation>Số định danh cá nhân có 12 số (đã nhập %1).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The CAN has 6 digits (%1 typed).</source>
        <translation>Mã CAN có 6 số (đã nhập %1).</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Fill in the document number and both dates.</source>
        <translation>Hãy nhập số giấy tờ và cả hai ngày.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>The card refused this key. Correct it: the same key is not sent again.</source>
        <translation>Thẻ đã từ chối mã này. Hãy sửa lại: chương trình không gửi lại cùng một mã.</translation>
    </message>
    <message>
        <location line="+121"/>
        <source>QR code read: key filled in.</source>
        <translation>Đã đọc mã QR: mã truy cập đã được điền.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>QR code read: key filled in from the ID number (the rest of the code is unreadable, so it is not compared with the chip).</source>
        <translation>Đã đọc mã QR: điền mã từ số định danh (phần còn lại của mã không đọc được nên không đối chiếu với chip).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This QR code is not from a Vietnamese ID card.</source>
        <translation>Mã QR này không phải của thẻ căn cước Việt Nam.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../window.py" line="+447"/>
        <source>CCCD reader — counter</source>
        <extracomment>Message column width: long lines are hard to read on a wide counter screen. () -&gt; a configured QPrinter, or None when staff cancelled (tests pass their own). The key the card refused: never sent again to the same card (chips count refusals). Shown on the waiting screen until the next card: why the last read ended. The last read&apos;s outcome (its raw files), for &quot;Lưu bằng chứng&quot; only; cleared with the card&apos;s data. The loaded trust store (None until the first load ends, or when it failed). The embedded local agent (cccd_desktop.agenthost.AgentHost), when hosted.</extracomment>
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
        <location line="+1"/>
        <location line="+300"/>
        <source>History (%1)</source>
        <translation>Lịch sử (%1)</translation>
    </message>
    <message>
        <location line="+310"/>
        <source>DEMO MODE: virtual chip with synthetic sample cards. The test CSCAs in samples/pki are trusted here — never do this for real cards.</source>
        <translation>CHẾ ĐỘ DEMO: chip ảo với thẻ mẫu tổng hợp. Các CSCA thử nghiệm trong samples/pki đang được tin cậy — không bao giờ làm vậy với thẻ thật.</translation>
    </message>
    <message>
        <location line="-605"/>
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
        <location line="+15"/>
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
        <location line="+15"/>
        <source>Clear</source>
        <translation>Xóa dữ liệu</translation>
    </message>
    <message>
        <location line="+125"/>
        <source>(no reader)</source>
        <translation>(không có đầu đọc)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(choose a reader)</source>
        <translation>(chọn đầu đọc)</translation>
    </message>
    <message>
        <location line="+290"/>
        <source>Try again</source>
        <translation>Thử lại</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choose a reader</source>
        <translation>Hãy chọn đầu đọc</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No reader</source>
        <translation>Chưa có đầu đọc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connect a contactless (NFC) PC/SC card reader.</source>
        <translation>Hãy kết nối đầu đọc thẻ không tiếp xúc (NFC) chuẩn PC/SC.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Place the card on the reader</source>
        <translation>Đặt thẻ lên đầu đọc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type the access key on the left (or scan the QR code) first; the card is read as soon as it is placed.</source>
        <translation>Nhập mã truy cập ở bên trái (hoặc quét mã QR) trước; thẻ sẽ được đọc ngay khi đặt lên.</translation>
    </message>
    <message>
        <location line="+7"/>
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
        <location line="+61"/>
        <source>Wrong access key</source>
        <translation>Sai mã truy cập</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>This key cannot open the card</source>
        <translation>Loại mã này không mở được thẻ</translation>
    </message>
    <message>
        <location line="+5"/>
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
        <location line="+166"/>
        <source>Export card data</source>
        <translation>Xuất dữ liệu thẻ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>JSON (*.json)</source>
        <translation>Tệp JSON (*.json)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Save PDF report</source>
        <translation>Lưu báo cáo PDF</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PDF (*.pdf)</source>
        <translation>Tệp PDF (*.pdf)</translation>
    </message>
    <message>
        <location line="-2"/>
        <location line="+12"/>
        <source>Demo: synthetic card, test trust anchors.</source>
        <translation>Demo: thẻ tổng hợp, gốc tin cậy thử nghiệm.</translation>
    </message>
    <message>
        <location line="-757"/>
        <source>Stop camera</source>
        <translation>Tắt camera</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scan QR with camera</source>
        <translation>Quét mã QR bằng camera</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Card data stays on screen only: it is cleared on the next card, on Next customer or Clear</source>
        <translation>Dữ liệu thẻ chỉ hiện trên màn hình: bị xóa khi đặt thẻ tiếp theo, khi bấm Khách tiếp theo hoặc Xóa</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Card data stays on screen only: it is cleared when the card is removed</source>
        <translation>Dữ liệu thẻ chỉ hiện trên màn hình: bị xóa khi nhấc thẻ ra</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>, or after %1 s without activity</source>
        <translation>, hoặc sau %1 giây không thao tác</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>, and written to disk only when you export it.</source>
        <translation>, và chỉ được ghi ra đĩa khi bạn xuất.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Copy all</source>
        <translation>Sao chép tất cả</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tab-separated, in the order of the usual registration forms (Ctrl+Shift+C)</source>
        <translation>Phân cách bằng Tab, theo thứ tự của các mẫu đăng ký thường gặp (Ctrl+Shift+C)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Print…</source>
        <translation>In…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export ▾</source>
        <translation>Xuất ▾</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Spreadsheet (CSV)…</source>
        <translation>Bảng tính (CSV)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel (.xlsx)…</source>
        <translation>Excel (.xlsx)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JSON…</source>
        <translation>JSON…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF report…</source>
        <translation>Báo cáo PDF…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Next customer</source>
        <translation>Khách tiếp theo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>F2: go to the key</source>
        <translation>F2: chuyển tới ô nhập mã</translation>
    </message>
    <message>
        <location line="+422"/>
        <source>Several contactless readers are connected. Which one is the card placed on?</source>
        <translation>Có nhiều đầu đọc không tiếp xúc. Thẻ được đặt trên đầu đọc nào?</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The last read did not finish: the card was lifted off the reader too early. Place it again and keep it still.</source>
        <translation>Lần đọc trước chưa xong: thẻ bị nhấc ra quá sớm. Hãy đặt lại thẻ và giữ yên.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Technical detail: %1</source>
        <translation>Chi tiết kỹ thuật: %1</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>NOT GENUINE: damaged chip data</source>
        <translation>KHÔNG HỢP LỆ: dữ liệu chip bị hỏng</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The chip&apos;s file %1 is shorter than it declares (cut off after %2 of %3 bytes). Its data cannot be proven genuine: do not rely on this document; check the printed card by other means.</source>
        <translation>Tệp %1 trên chip ngắn hơn độ dài chính nó khai báo (bị cắt sau %2 trên %3 byte). Không thể chứng minh dữ liệu là thật: đừng dựa vào giấy tờ này; hãy kiểm tra thẻ in bằng cách khác.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The card refused the key. Check the personal number or CAN (the last 6 digits of the personal number), or the MRZ fields, and correct it: the same key is not sent twice, because the card counts wrong tries.</source>
        <translation>Thẻ từ chối mã. Hãy kiểm tra số định danh cá nhân hoặc mã CAN (6 số cuối của số định danh), hoặc các mục MRZ, rồi sửa lại: chương trình không gửi cùng một mã hai lần, vì thẻ đếm số lần nhập sai.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>This card does not accept this kind of key. Use the MRZ section (document number, dates of birth and expiry) or the CAN.</source>
        <translation>Thẻ này không chấp nhận loại mã này. Hãy dùng mục MRZ (số giấy tờ, ngày sinh và ngày hết hạn) hoặc mã CAN.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The card was lifted off the reader</source>
        <translation>Thẻ bị nhấc ra khỏi đầu đọc</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>DEMO MODE: virtual chip with synthetic sample cards. No test CSCA is loaded, so cards read as unverified.</source>
        <translation>CHẾ ĐỘ DEMO: chip ảo với thẻ mẫu tổng hợp. Không có CSCA thử nghiệm nào được nạp, nên thẻ sẽ hiện là chưa xác minh.</translation>
    </message>
    <message>
        <location line="+139"/>
        <source>Export as spreadsheet</source>
        <translation>Xuất ra bảng tính</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export for Excel</source>
        <translation>Xuất ra Excel</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Excel (*.xlsx)</source>
        <translation>Excel (*.xlsx)</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Saved %1</source>
        <translation>Đã lưu %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copied: %1</source>
        <translation>Đã sao chép: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All fields copied (tab-separated)</source>
        <translation>Đã sao chép tất cả các mục (phân cách bằng Tab)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sent to the printer</source>
        <translation>Đã gửi tới máy in</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Camera: %1</source>
        <translation>Camera: %1</translation>
    </message>
    <message>
        <location line="-750"/>
        <source>Save evidence…</source>
        <translation>Lưu bằng chứng…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The chip&apos;s files and the checks, for the bank&apos;s server to check again (with the face check if you made one). Not the Ministry&apos;s online check.</source>
        <translation>Các tệp của chip và kết quả kiểm tra, để máy chủ của ngân hàng tự kiểm tra lại (kèm kết quả kiểm tra khuôn mặt nếu đã làm). Đây không phải là kiểm tra trực tuyến với Bộ Công an.</translation>
    </message>
    <message>
        <location line="+684"/>
        <source>Save evidence for the bank</source>
        <translation>Lưu bằng chứng cho ngân hàng</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Evidence package (*.json)</source>
        <translation>Gói bằng chứng (*.json)</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Could not save %1</source>
        <translation>Không lưu được %1</translation>
    </message>
</context>
<context>
    <name>Reason</name>
    <message>
        <location filename="../labels.py" line="+138"/>
        <source>No trusted root certificate (CSCA) of the issuing country is installed.</source>
        <translation>Máy chưa có chứng thư gốc (CSCA) tin cậy của nước cấp.</translation>
    </message>
    <message>
        <location line="+197"/>
        <source>The chip&apos;s security object is readable.</source>
        <translation>Đối tượng bảo mật của chip đọc được.</translation>
    </message>
    <message>
        <location line="-235"/>
        <location line="+236"/>
        <source>The chip&apos;s security object (EF.SOD) is damaged or cut short: nothing on the chip can be proven.</source>
        <translation>Đối tượng bảo mật của chip (EF.SOD) bị hỏng hoặc bị cắt cụt: không chứng minh được dữ liệu nào trên chip.</translation>
    </message>
    <message>
        <location line="-233"/>
        <location line="+236"/>
        <source>The digital signature over the chip&apos;s data is correct.</source>
        <translation>Chữ ký số trên dữ liệu của chip là đúng.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The digital signature does not match the chip&apos;s data.</source>
        <translation>Chữ ký số không khớp với dữ liệu của chip.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The signature could not be checked (no signer certificate on the chip).</source>
        <translation>Không kiểm tra được chữ ký (chip không có chứng thư của người ký).</translation>
    </message>
    <message>
        <location line="-229"/>
        <location line="+231"/>
        <source>The signature uses an algorithm this program cannot check.</source>
        <translation>Chữ ký dùng thuật toán mà chương trình chưa kiểm tra được.</translation>
    </message>
    <message>
        <location line="-180"/>
        <source>The signer&apos;s certificate ({not_before} – {not_after}) was valid at signing.</source>
        <translation>Chứng thư người ký ({not_before} – {not_after}) còn hiệu lực lúc ký.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>The root certificate (CSCA, {not_before} – {not_after}) was valid at signing.</source>
        <translation>Chứng thư gốc (CSCA, {not_before} – {not_after}) còn hiệu lực lúc ký.</translation>
    </message>
    <message>
        <location line="+163"/>
        <source>The signer&apos;s certificate comes from a trusted issuing authority (CSCA).</source>
        <translation>Chứng thư của người ký do cơ quan cấp tin cậy (CSCA) cấp.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The signer is not trusted: its certificate does not chain to a trusted CSCA.</source>
        <translation>Người ký không được tin cậy: chứng thư của họ không nối tới CSCA tin cậy nào.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Who signed is not proven: no trusted root certificate (CSCA) for this country is installed.</source>
        <translation>Chưa chứng minh được ai đã ký: máy chưa có chứng thư gốc (CSCA) tin cậy của nước này.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The certificate chain uses features this program cannot check.</source>
        <translation>Chuỗi chứng thư dùng tính năng mà chương trình chưa kiểm tra được.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The signer&apos;s certificate was valid when the card was signed.</source>
        <translation>Chứng thư của người ký còn hiệu lực khi thẻ được ký.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The signer&apos;s certificate was expired or not yet valid when the card was signed.</source>
        <translation>Chứng thư của người ký đã hết hạn hoặc chưa có hiệu lực khi thẻ được ký.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signer&apos;s certificate dates could not be checked.</source>
        <translation>Không kiểm tra được thời hạn chứng thư của người ký.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The root certificate (CSCA) was valid at signing time.</source>
        <translation>Chứng thư gốc (CSCA) còn hiệu lực khi ký.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The root certificate (CSCA) was expired or not yet valid at signing time.</source>
        <translation>Chứng thư gốc (CSCA) đã hết hạn hoặc chưa có hiệu lực khi ký.</translation>
    </message>
    <message>
        <location line="-162"/>
        <location line="+164"/>
        <source>Not checked: no trusted root certificate (CSCA).</source>
        <translation>Chưa kiểm tra: không có chứng thư gốc (CSCA) tin cậy.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The signer&apos;s certificate is not on the revocation list.</source>
        <translation>Chứng thư của người ký không nằm trong danh sách thu hồi.</translation>
    </message>
    <message>
        <location line="-157"/>
        <location line="+159"/>
        <source>The signer&apos;s certificate has been revoked by the issuing authority.</source>
        <translation>Chứng thư của người ký đã bị cơ quan cấp thu hồi.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Revocation not checked: no revocation list (CRL) for this issuer.</source>
        <translation>Chưa kiểm tra thu hồi: không có danh sách thu hồi (CRL) của nơi cấp.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This data matches what the issuer signed.</source>
        <translation>Dữ liệu này khớp với dữ liệu nơi cấp đã ký.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This data was changed after the issuer signed it.</source>
        <translation>Dữ liệu này đã bị thay đổi sau khi nơi cấp ký.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not compared: the chip&apos;s security object is missing or unreadable.</source>
        <translation>Chưa đối chiếu: thiếu đối tượng bảo mật của chip hoặc không đọc được.</translation>
    </message>
    <message>
        <location line="-57"/>
        <location line="+59"/>
        <source>The machine-readable zone and the personal data agree.</source>
        <translation>Vùng MRZ và dữ liệu cá nhân khớp nhau.</translation>
    </message>
    <message>
        <location line="-286"/>
        <source>The chip&apos;s security object (EF.SOD) is readable.</source>
        <extracomment>Reasons by the library&apos;s stable code (``Check.code`` = &quot;&lt;check&gt;.&lt;reason&gt;&quot;), one template per code ``cccd_reader.verify`` can emit (tests/desktop/test_reason_codes.py derives that list from its source). ``{name}`` is filled from ``Check.params``; a template whose parameter is missing, and a code added later, fall back to the check family + status table below, and that to a generic sentence: never to English.</extracomment>
        <translation>Đối tượng bảo mật của chip (EF.SOD) đọc được.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The chip&apos;s security object (EF.SOD) was not read: nothing on the chip can be proven.</source>
        <translation>Chưa đọc được đối tượng bảo mật của chip (EF.SOD): không chứng minh được gì trên chip.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The digital signature does not match the chip&apos;s data: the data or the signature was altered.</source>
        <translation>Chữ ký số không khớp với dữ liệu của chip: dữ liệu hoặc chữ ký đã bị sửa.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signature could not be checked: the chip carries no signer certificate and none is pinned.</source>
        <translation>Không kiểm tra được chữ ký: chip không mang chứng thư người ký và máy này chưa ghim chứng thư nào phù hợp.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signer certificate on the chip is not the one that signed: the security object is inconsistent.</source>
        <translation>Chứng thư người ký trên chip không phải chứng thư đã ký: đối tượng bảo mật không nhất quán.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The security object holds content of an unknown type ({oid}).</source>
        <translation>Đối tượng bảo mật chứa nội dung thuộc loại không xác định ({oid}).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The signature lacks the signed attributes ICAO requires.</source>
        <translation>Chữ ký thiếu các thuộc tính được ký mà ICAO yêu cầu.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The signed attributes name content other than what was signed.</source>
        <translation>Các thuộc tính được ký ghi một loại nội dung khác với nội dung đã ký.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The signed digest ({hash}) does not match the security object&apos;s content: it was altered.</source>
        <translation>Giá trị băm được ký ({hash}) không khớp với nội dung của đối tượng bảo mật: nội dung đã bị sửa.</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+38"/>
        <location line="+19"/>
        <location line="+25"/>
        <location line="+46"/>
        <location line="+24"/>
        <source>Not checked: the security object is missing or damaged.</source>
        <translation>Chưa kiểm tra: thiếu hoặc hỏng đối tượng bảo mật của chip.</translation>
    </message>
    <message>
        <location line="-150"/>
        <source>The signer&apos;s certificate was issued by a trusted authority (CSCA of {country}).</source>
        <translation>Chứng thư người ký do cơ quan được tin cậy cấp (CSCA của {country}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signer&apos;s certificate chains to a trusted authority.</source>
        <translation>Chứng thư người ký dẫn về một cơ quan được tin cậy.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The signer&apos;s certificate is pinned in this computer&apos;s trust settings (confirmed by your organisation).</source>
        <translation>Chứng thư người ký đã được ghim trong cài đặt tin cậy của máy này (do tổ chức của bạn xác nhận).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signer is not trusted: its certificate does not chain to a trusted CSCA of {country}.</source>
        <translation>Người ký không được tin cậy: chứng thư của họ không dẫn về CSCA tin cậy nào của {country}.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The signer&apos;s certificate was issued by a link certificate of {country} that this computer trusts on its own ({file}); the older root it names is not installed.</source>
        <translation>Chứng thư của người ký do một chứng thư liên kết của {country} cấp, được máy này tin cậy trực tiếp ({file}); CSCA cũ mà nó nêu chưa được cài đặt.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Forged signer certificate: it names the key of a trusted CSCA of {country}, but that key did not sign it.</source>
        <translation>Chứng thư người ký bị giả mạo: nó nêu khóa của một CSCA tin cậy của {country}, nhưng khóa đó không ký nó.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signer&apos;s certificate uses a signature algorithm this program cannot check.</source>
        <translation>Chứng thư của người ký dùng thuật toán chữ ký mà chương trình này không kiểm tra được.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The CSCA key {key_id} of {country} that issued the signer is not installed: add that CSCA (or its link certificate) to the trust settings.</source>
        <translation>Khóa CSCA {key_id} của {country} đã cấp chứng thư người ký chưa được cài đặt: hãy thêm CSCA đó (hoặc chứng thư liên kết của nó) vào cài đặt tin cậy.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signer was signed by a trusted CSCA key of {country}, but that CSCA certificate cannot issue signers ({problems}): the trust material needs fixing; the card is not shown to be forged.</source>
        <translation>Chứng thư người ký được ký bằng khóa CSCA tin cậy của {country}, nhưng chứng thư CSCA đó không được phép cấp chứng thư người ký ({problems}): cần sửa dữ liệu tin cậy; điều này không chứng tỏ thẻ bị giả mạo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The signer was issued by a link certificate that was refused ({file}): it does not verify with the CSCA it names.</source>
        <translation>Người ký được cấp bởi một chứng thư liên kết đã bị từ chối ({file}): nó không khớp chữ ký với CSCA mà nó nêu.</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+19"/>
        <location line="+25"/>
        <location line="+43"/>
        <source>Not checked: no signer certificate.</source>
        <translation>Chưa kiểm tra: không có chứng thư người ký.</translation>
    </message>
    <message>
        <location line="-80"/>
        <source>The signer&apos;s certificate ({not_before} – {not_after}) is valid today (the chip does not say when it was signed).</source>
        <translation>Chứng thư người ký ({not_before} – {not_after}) còn hiệu lực hôm nay (chip không ghi thời điểm ký).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signer&apos;s certificate ({not_before} – {not_after}) was not valid when the document was signed.</source>
        <translation>Chứng thư người ký ({not_before} – {not_after}) đã hết hạn hoặc chưa có hiệu lực khi giấy tờ được ký.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signer&apos;s key was outside its permitted signing period when the document was signed.</source>
        <translation>Khóa của người ký đã nằm ngoài thời hạn được phép ký khi giấy tờ được ký.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signer&apos;s certificate ({not_before} – {not_after}) is not valid today and the chip does not say when it was signed: not proven.</source>
        <translation>Chứng thư người ký ({not_before} – {not_after}) hôm nay không còn hiệu lực và chip không ghi thời điểm ký: chưa chứng minh được.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The root certificate (CSCA, {not_before} – {not_after}) is valid today.</source>
        <translation>Chứng thư gốc (CSCA, {not_before} – {not_after}) còn hiệu lực hôm nay.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The root certificate (CSCA, {not_before} – {not_after}) was not valid when the document was signed.</source>
        <translation>Chứng thư gốc (CSCA, {not_before} – {not_after}) đã hết hạn hoặc chưa có hiệu lực khi giấy tờ được ký.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The root certificate&apos;s key was outside its permitted signing period.</source>
        <translation>Khóa của chứng thư gốc đã nằm ngoài thời hạn được phép ký.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The root certificate (CSCA, {not_before} – {not_after}) is not valid today and the chip does not say when it was signed: not proven.</source>
        <translation>Chứng thư gốc (CSCA, {not_before} – {not_after}) hôm nay không còn hiệu lực và chip không ghi thời điểm ký: chưa chứng minh được.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not applicable: the signer is pinned, no root certificate is involved.</source>
        <translation>Không áp dụng: người ký đã được ghim, không cần chứng thư gốc.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The signer&apos;s certificate is not on the authority&apos;s current revocation list (CRL).</source>
        <translation>Chứng thư người ký không bị thu hồi (theo CRL hiện hành của cơ quan cấp).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Revocation not checked: no current CRL.</source>
        <translation>Chưa kiểm tra thu hồi: không có CRL hiện hành.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Revocation not checked: no trusted root certificate (CSCA) to verify a CRL with.</source>
        <translation>Chưa kiểm tra thu hồi: không có chứng thư gốc (CSCA) tin cậy để xác minh CRL.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Revocation not checked: the signer is pinned and no CSCA of its issuer is installed to verify a CRL.</source>
        <translation>Chưa kiểm tra thu hồi: người ký đã được ghim và máy này chưa cài CSCA của nơi cấp để xác minh CRL.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Revocation not checked: no signer certificate.</source>
        <translation>Chưa kiểm tra thu hồi: không có chứng thư người ký.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Revocation not checked: the security object is missing or damaged.</source>
        <translation>Chưa kiểm tra thu hồi: thiếu hoặc hỏng đối tượng bảo mật của chip.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The signer&apos;s country ({country}) is the document&apos;s issuing state ({issuing_state}).</source>
        <translation>Quốc gia của người ký ({country}) trùng với quốc gia cấp giấy tờ ({issuing_state}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signer&apos;s country ({country}) is not the document&apos;s issuing state ({issuing_state}): signed by another country&apos;s authority.</source>
        <translation>Quốc gia của người ký ({country}) khác quốc gia cấp giấy tờ ({issuing_state}): giấy tờ do cơ quan của nước khác ký.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signer&apos;s certificate names no country.</source>
        <translation>Chứng thư người ký không ghi quốc gia.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The issuing state {issuing_state} cannot be matched with the country of a certificate.</source>
        <translation>Không đối chiếu được quốc gia cấp {issuing_state} với quốc gia ghi trong chứng thư.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The Vietnamese card data (DG13) names a nationality other than Việt Nam.</source>
        <translation>Dữ liệu thẻ Việt Nam (DG13) ghi quốc tịch khác Việt Nam.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The MRZ cannot be read, but the signed Vietnamese card data says Việt Nam while the signer is of {country}: another state cannot sign a Vietnamese card.</source>
        <translation>Không đọc được MRZ, nhưng dữ liệu thẻ Việt Nam đã ký ghi quốc tịch Việt Nam trong khi người ký thuộc {country}: quốc gia khác không thể ký thẻ Việt Nam.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The machine-readable zone&apos;s state or nationality ({issuing_state}) disagrees with the card&apos;s nationality Việt Nam.</source>
        <translation>Quốc gia cấp hoặc quốc tịch trong vùng MRZ ({issuing_state}) không khớp với quốc tịch Việt Nam của thẻ.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not checked: the machine-readable zone (DG1) was not read or cannot be read.</source>
        <translation>Chưa kiểm tra: vùng MRZ (DG1) chưa được đọc hoặc không đọc được.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{dg} matches what the issuer signed.</source>
        <translation>{dg} khớp với dữ liệu cơ quan cấp đã ký.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{dg} was changed after the issuer signed it.</source>
        <translation>{dg} đã bị thay đổi sau khi cơ quan cấp ký.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{dg} is on the chip but the issuer did not sign it.</source>
        <translation>{dg} có trên chip nhưng không được cơ quan cấp ký.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{dg} is signed but was not read: not compared.</source>
        <translation>{dg} có chữ ký nhưng chưa được đọc: chưa so sánh.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{dg} is protected (for authorities only) and was not read: not needed.</source>
        <translation>{dg} được bảo vệ (chỉ dành cho cơ quan chức năng) nên không đọc: không cần thiết.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{dg}: not compared, the security object is missing or damaged.</source>
        <translation>{dg}: chưa so sánh, thiếu hoặc hỏng đối tượng bảo mật của chip.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The required data (DG1 and the photo DG2) is signed, read and readable.</source>
        <translation>Dữ liệu bắt buộc (DG1 và ảnh DG2) đã được ký, đã đọc và đọc được.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The issuer did not sign {dgs}, which every chip must carry.</source>
        <translation>Cơ quan cấp không ký {dgs}, là dữ liệu mọi chip phải có.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{dgs} was not read: the document cannot be verified.</source>
        <translation>Chưa đọc {dgs}: không thể xác minh giấy tờ.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{dgs} cannot be read: nothing in it is proven.</source>
        <translation>Không đọc được nội dung {dgs}: không chứng minh được gì trong đó.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Every check digit of the machine-readable zone is right.</source>
        <translation>Mọi chữ số kiểm tra của vùng MRZ đều đúng.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The signed machine-readable zone has {count} wrong check digit(s).</source>
        <translation>Vùng MRZ đã ký có {count} chữ số kiểm tra sai.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not checked: the machine-readable zone (DG1) was not read.</source>
        <translation>Chưa kiểm tra: chưa đọc vùng MRZ (DG1).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not checked: the machine-readable zone (DG1) cannot be read.</source>
        <translation>Chưa kiểm tra: không đọc được vùng MRZ (DG1).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The chip&apos;s security file (EF.CardSecurity) is signed by a trusted signer.</source>
        <translation>Tệp bảo mật của chip (EF.CardSecurity) được ký bởi người ký tin cậy.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The chip&apos;s security file (EF.CardSecurity) is damaged.</source>
        <translation>Tệp bảo mật của chip (EF.CardSecurity) bị hỏng.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The chip&apos;s security file (EF.CardSecurity) lacks its signed attributes.</source>
        <translation>Tệp bảo mật của chip (EF.CardSecurity) thiếu các thuộc tính được ký.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The chip&apos;s security file (EF.CardSecurity) was altered after it was signed.</source>
        <translation>Tệp bảo mật của chip (EF.CardSecurity) đã bị sửa sau khi ký.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The chip&apos;s security file (EF.CardSecurity): its signer certificate is missing.</source>
        <translation>Tệp bảo mật của chip (EF.CardSecurity): thiếu chứng thư người ký.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signature of the chip&apos;s security file (EF.CardSecurity) is wrong.</source>
        <translation>Chữ ký của tệp bảo mật của chip (EF.CardSecurity) không đúng.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The chip&apos;s security file (EF.CardSecurity) uses an algorithm this program cannot check.</source>
        <translation>Tệp bảo mật của chip (EF.CardSecurity) dùng thuật toán mà chương trình này không kiểm tra được.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signer of the chip&apos;s security file (EF.CardSecurity) was not valid when it signed.</source>
        <translation>Người ký tệp bảo mật của chip (EF.CardSecurity) không còn hiệu lực khi ký.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signer of the chip&apos;s security file (EF.CardSecurity) is from another country than the document.</source>
        <translation>Người ký tệp bảo mật của chip (EF.CardSecurity) thuộc quốc gia khác với giấy tờ.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The chip&apos;s security file (EF.CardSecurity): who signed it is not proven, no trusted root certificate (CSCA) is installed.</source>
        <translation>Tệp bảo mật của chip (EF.CardSecurity): chưa chứng minh được ai đã ký, máy này chưa cài chứng thư gốc (CSCA) tin cậy.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signer of the chip&apos;s security file (EF.CardSecurity) is not trusted.</source>
        <translation>Người ký tệp bảo mật của chip (EF.CardSecurity) không được tin cậy.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The signer of the chip&apos;s security file (EF.CardSecurity) has been revoked.</source>
        <translation>Người ký tệp bảo mật của chip (EF.CardSecurity) đã bị thu hồi.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+59"/>
        <source>The machine-readable zone and the personal data disagree.</source>
        <translation>Vùng MRZ và dữ liệu cá nhân không khớp nhau.</translation>
    </message>
    <message>
        <location line="-57"/>
        <location line="+3"/>
        <source>The anti-copy check proves nothing: its key ({dg}) is not proven to be the issuer&apos;s.</source>
        <translation>Kiểm tra chống sao chép không chứng minh được gì: khóa của nó ({dg}) chưa được chứng minh là của cơ quan cấp.</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Not compared: one of the two is missing.</source>
        <translation>Chưa đối chiếu: thiếu một trong hai.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+7"/>
        <source>The chip proved it holds its secret key: it is not a copy.</source>
        <translation>Chip đã chứng minh có khóa bí mật của nó: không phải bản sao.</translation>
    </message>
    <message>
        <location line="-5"/>
        <location line="+7"/>
        <source>The chip failed to prove its secret key: it may be a copy.</source>
        <translation>Chip không chứng minh được khóa bí mật: có thể là bản sao.</translation>
    </message>
    <message>
        <location line="-5"/>
        <location line="+7"/>
        <source>Not run on this chip.</source>
        <translation>Không chạy trên chip này.</translation>
    </message>
    <message>
        <location line="-6"/>
        <location line="+7"/>
        <source>This chip&apos;s anti-copy method is not supported here.</source>
        <translation>Chương trình chưa hỗ trợ cách chống sao chép của chip này.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This chip offers no anti-copy check: a copied chip cannot be told apart.</source>
        <translation>Chip này không có cơ chế chống sao chép: không phân biệt được chip bị sao chép.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The printed QR code and the chip agree.</source>
        <translation>Mã QR in trên thẻ và chip khớp nhau.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The printed QR code and the chip disagree.</source>
        <translation>Mã QR in trên thẻ và chip không khớp nhau.</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+6"/>
        <source>Not compared.</source>
        <translation>Chưa đối chiếu.</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Same value in both.</source>
        <extracomment>DG1/DG13 field comparisons shown under the consistency check.</extracomment>
        <translation>Hai bên cùng giá trị.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Different values.</source>
        <translation>Giá trị khác nhau.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cannot be compared.</source>
        <translation>Không đối chiếu được.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check “%1”: %2.</source>
        <translation>Kiểm tra “%1”: %2.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A current CRL is required by the settings.</source>
        <extracomment>Appended when a CRL check that is normally a note is made a condition by the settings.</extracomment>
        <translation>Cài đặt yêu cầu phải có CRL hiện hành.</translation>
    </message>
</context>
<context>
    <name>ResultView</name>
    <message>
        <location filename="../resultview.py" line="+462"/>
        <location line="+183"/>
        <source>Reading the photo…</source>
        <extracomment>A field value was copied (key): the window resets the idle timer and says so.</extracomment>
        <translation>Đang đọc ảnh…</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>Technical detail: %1 (%2)</source>
        <translation>Chi tiết kỹ thuật: %1 (%2)</translation>
    </message>
    <message>
        <location line="+11"/>
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
        <location line="+2"/>
        <source>⚠ NOT TRUSTWORTHY: this data failed the checks. Do not use it to identify the person; export and printing are off.</source>
        <translation>⚠ KHÔNG ĐÁNG TIN CẬY: dữ liệu này không qua được kiểm tra. Không dùng để xác định danh tính; đã tắt xuất và in.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Copy</source>
        <translation>Sao chép</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Chip opened with %1.</source>
        <translation>Chip được mở bằng %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read in %1 s.</source>
        <translation>Đọc trong %1 giây.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 could not be decoded.</source>
        <translation>Không giải mã được %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The photo could not be shown.</source>
        <translation>Không hiển thị được ảnh.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No photo on the chip</source>
        <translation>Chip không có ảnh</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../settings.py" line="+304"/>
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>OK</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep the data after the card is removed (until the next card, Next customer or Clear)</source>
        <translation>Giữ dữ liệu sau khi nhấc thẻ (đến khi đặt thẻ tiếp theo, bấm Khách tiếp theo hoặc Xóa)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keep a history of this session&apos;s reads (in memory only, cleared on exit)</source>
        <translation>Lưu lịch sử các lần đọc trong phiên (chỉ trong bộ nhớ, xóa khi thoát)</translation>
    </message>
    <message>
        <location line="+3"/>
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
        <source>CSCA or document signer certificates (DER/PEM), ICAO master lists (.ml) and CRLs. The trust directory of cccd trust is always read: %1</source>
        <translation>Chứng thư CSCA hoặc chứng thư ký (DER/PEM), danh sách gốc ICAO (.ml) và CRL. Thư mục tin cậy của cccd trust luôn được đọc: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reader</source>
        <translation>Đầu đọc</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>General</source>
        <translation>Chung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trust</source>
        <translation>Tin cậy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Local agent</source>
        <translation>Dịch vụ cục bộ</translation>
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
        <location line="+7"/>
        <source>Trust folder</source>
        <translation>Thư mục tin cậy</translation>
    </message>
    <message>
        <location line="-33"/>
        <source>Camera for QR and face check (number or video file)</source>
        <translation>Camera quét QR và kiểm tra khuôn mặt (số thứ tự hoặc tệp video)</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../labels.py" line="-536"/>
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
    <message>
        <location line="+538"/>
        <source>Note</source>
        <extracomment>The revocation outcomes that are a note unless the settings require a current CRL. &quot;Note&quot; for a check that was not run and does not count (e.g. no current CRL while CRLs are not required): a fact for staff, not a problem.</extracomment>
        <translation>Ghi chú</translation>
    </message>
</context>
<context>
    <name>Steps</name>
    <message>
        <location line="-502"/>
        <source>Opening the chip (access control)</source>
        <extracomment>Badge grounds by what the badge shows (the verdict, or &quot;expired&quot; / &quot;genuine_no_clone&quot; / &quot;reading&quot; on top of it): each look is also told apart by its symbol and words.</extracomment>
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
        <location line="+65"/>
        <source>Reading %1</source>
        <translation>Đọc %1</translation>
    </message>
</context>
<context>
    <name>TrustSummary</name>
    <message>
        <location filename="../trust_summary.py" line="+162"/>
        <location line="+157"/>
        <source>Loading the trust store…</source>
        <extracomment>Anchors and CRLs due within this many days are flagged. The store (None: it could not be loaded, ``problem`` says why). The paths asked for (besides the default trust directories), to match a load to its request. thisUpdate of the newest CRL that is current now (None: no current CRL). Anchors (CSCA, link, pinned signer) expired or expiring within SOON_DAYS. Sources of the test CSCAs of samples/pki that were loaded (demo mode says so).
----------
A file was imported into the trust directory (the window reloads its store).</extracomment>
        <translation>Đang nạp kho tin cậy…</translation>
    </message>
    <message>
        <location line="-155"/>
        <location line="+193"/>
        <source>Trust store not loaded: %1</source>
        <translation>Chưa nạp được kho tin cậy: %1</translation>
    </message>
    <message>
        <location line="-191"/>
        <source>Trust: %1 CSCA</source>
        <translation>Tin cậy: %1 CSCA</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 pinned document signers</source>
        <translation>%1 chứng thư người ký được ghim</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>newest CRL %1</source>
        <translation>CRL mới nhất %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>no current CRL</source>
        <translation>không có CRL hiện hành</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 CRL out of date</source>
        <translation>%1 CRL đã quá hạn</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 certificates expired or expiring within %2 days</source>
        <translation>%1 chứng thư đã hoặc sắp hết hạn trong %2 ngày</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 warnings (Settings → Trust)</source>
        <translation>%1 cảnh báo (Cài đặt → Tin cậy)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>demo: synthetic test CSCAs</source>
        <translation>demo: CSCA thử nghiệm tổng hợp</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Master list %1: its signer chains to no trusted CSCA, so none of its %2 certificates is trusted.</source>
        <translation>Danh sách CSCA %1: chữ ký của danh sách không dẫn về CSCA tin cậy nào, nên không chứng thư nào trong %2 chứng thư của nó được tin cậy.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Master list %1: the certificate that signed it is expired or not yet valid.</source>
        <translation>Danh sách CSCA %1: chứng thư đã ký danh sách đã hết hoặc chưa có hiệu lực.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Master list %1: the certificate that signed it is not meant for signing master lists.</source>
        <translation>Danh sách CSCA %1: chứng thư đã ký danh sách không được cấp để ký danh sách CSCA.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1: a certificate that cannot be read was skipped.</source>
        <translation>%1: đã bỏ qua một chứng thư không đọc được.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: an unreadable PEM block was skipped.</source>
        <translation>%1: đã bỏ qua một khối PEM không đọc được.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: a revocation list (CRL) that cannot be used was skipped.</source>
        <translation>%1: đã bỏ qua một danh sách thu hồi (CRL) không dùng được.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: a master list that cannot be used was skipped.</source>
        <translation>%1: đã bỏ qua một danh sách CSCA không dùng được.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: a file that cannot be used was skipped.</source>
        <translation>%1: đã bỏ qua một tệp không dùng được.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Trust store warning: %1</source>
        <translation>Cảnh báo của kho tin cậy: %1</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>Import a trust file…</source>
        <translation>Nhập tệp tin cậy…</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Trust: %1 CSCA, %2 link certificates, %3 pinned document signers, %4 master lists, %5 CRLs</source>
        <translation>Tin cậy: %1 CSCA, %2 chứng thư liên kết, %3 chứng thư người ký được ghim, %4 danh sách CSCA, %5 CRL</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Newest current CRL: %1</source>
        <translation>CRL hiện hành mới nhất: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Needs attention (%1):</source>
        <translation>Cần chú ý (%1):</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>… and %1 more (cccd trust check)</source>
        <translation>… và %1 mục khác (cccd trust check)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nothing stale or expiring within %1 days</source>
        <translation>Không có mục nào quá hạn hoặc sắp hết hạn trong %1 ngày</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not loaded: %1</source>
        <translation>Chưa nạp được: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: the revocation list (CRL) is out of date (next update was due %2).</source>
        <translation>%1: danh sách thu hồi (CRL) đã quá hạn (lẽ ra phải cập nhật ngày %2).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: the revocation list (CRL) is due for update on %2.</source>
        <translation>%1: danh sách thu hồi (CRL) cần cập nhật trước ngày %2.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: the certificate expired on %2.</source>
        <translation>%1: chứng thư đã hết hạn ngày %2.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: the certificate expires on %2.</source>
        <translation>%1: chứng thư hết hạn ngày %2.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Imported %1 (%2 certificate(s) skipped, see the warnings)</source>
        <translation>Đã nhập %1 (bỏ qua %2 chứng thư, xem các cảnh báo)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Imported %1</source>
        <translation>Đã nhập %1</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Refused %1: %2</source>
        <translation>Từ chối %1: %2</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Import a trust file</source>
        <translation>Nhập tệp tin cậy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trust files (*.ml *.der *.cer *.crt *.pem *.crl)</source>
        <translation>Tệp tin cậy (*.ml *.der *.cer *.crt *.pem *.crl)</translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <location filename="../labels.py" line="-97"/>
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
        <location filename="../resultview.py" line="-385"/>
        <source>Settings → Trust…</source>
        <extracomment>Large enough to compare with the person at the counter on a 1366x768 screen. Refuse to hand Qt or OpenCV anything larger: DG2 comes from an untrusted chip. The clock the expiry warning uses; tests move it past a sample&apos;s expiry. The library&apos;s verdict; ``look`` is what the badge shows (adds &quot;expired&quot;, &quot;reading&quot;).</extracomment>
        <translation>Cài đặt → Tin cậy…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Click to see every check</source>
        <translation>Bấm để xem mọi kiểm tra</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>… CHECKING</source>
        <translation>… ĐANG KIỂM TRA</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name and number read from the chip; the photo and the checks follow. Nothing is proven yet.</source>
        <translation>Đã đọc họ tên và số từ chip; ảnh và kết quả kiểm tra sẽ có ngay sau. Chưa có gì được chứng minh.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Proven: the data was issued by the authority, has not been changed, and the chip is the original.</source>
        <translation>Đã chứng minh: dữ liệu do cơ quan có thẩm quyền cấp, không bị sửa, và chip là bản gốc.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>GENUINE DATA, COPY NOT RULED OUT</source>
        <translation>DỮ LIỆU GỐC, CHƯA LOẠI TRỪ CHIP SAO CHÉP</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Proven: the data was issued by the authority and has not been changed.</source>
        <translation>Đã chứng minh: dữ liệu do cơ quan có thẩm quyền cấp và không bị sửa.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This chip offers no anti-copy check: a copied chip cannot be told apart. Compare the photo with the person.</source>
        <translation>Chip này không có cơ chế chống sao chép: không phân biệt được chip bị sao chép. Hãy so ảnh với người đến làm thủ tục.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Proven: the data has not been changed since it was signed. Not proven: that the signer is the issuing authority, because this computer has no trusted certificate for it.</source>
        <translation>Đã chứng minh: dữ liệu không bị sửa kể từ khi được ký. Chưa chứng minh: người ký là cơ quan cấp, vì máy này chưa có chứng thư tin cậy của cơ quan đó.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not proven: the checks below could not be completed.</source>
        <translation>Chưa chứng minh: không hoàn tất được các kiểm tra dưới đây.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Do not rely on this document&apos;s data. Reason:</source>
        <translation>Không dựa vào dữ liệu của giấy tờ này. Lý do:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Signed correctly, but the chip&apos;s data groups disagree:</source>
        <translation>Chữ ký đúng, nhưng các nhóm dữ liệu trên chip không khớp nhau:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>DOCUMENT EXPIRED</source>
        <translation>GIẤY TỜ ĐÃ HẾT HẠN</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Expired on %1: the chip data may be genuine, but the document is no longer valid.</source>
        <translation>Hết hạn từ ngày %1: dữ liệu chip có thể là thật, nhưng giấy tờ không còn giá trị sử dụng.</translation>
    </message>
</context>
</TS>
