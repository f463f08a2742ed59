"""Builds the meetings part of the demo data set: seeds/data/50_… to 56_….xlsx.

    .venv/bin/python seeds/build_meetings_demo.py          # rewrite the workbooks
    .venv/bin/python seeds/build_meetings_demo.py --check  # fail if they are out of date

The six meetings of FACTS.md (sources 000–003), written as a clerk would fill in the
project's own import templates: one workbook per template, loaded in order by
`seed_demo`. Who chaired, who spoke, their posts and organisations, the figures quoted
and the conclusions follow the published articles; the summaries are our own words.
The follow-up tasks (owners, due dates, statuses, results), the hours of the two
meetings whose articles say only "morning"/"afternoon", and the days of the meetings
whose articles give only a publication date are illustrative: seeds/README_meetings.md
lists every such choice. Output is byte-for-byte deterministic.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "seeds" / "data"
FIXED_TIME = (2026, 1, 1, 0, 0, 0)

D = datetime.date

# --- organisations and documents the minutes refer to ------------------------------------------
# The sponsorship demo (seeds/data/10_organisations.xlsx, 11_decisions.xlsx) already holds the Party
# organisations of the Hà Tĩnh departments, the Ninh Bình agencies and Quyết định 140-QĐ/TU: the
# minutes refer to those by their exact names, and keep the names the 2016 article uses ("Sở Nội
# vụ") as written text. The 2016 organiser is the Đảng ủy Khối các cơ quan tỉnh as it then was: the
# bloc later merged with the enterprises' bloc into the Đảng ủy Khối các cơ quan và doanh nghiệp
# (the sponsorship demo's bloc), a body of its own, so the 2016 one is a row of its own here.
# The organisations below are the ones no other demo has; 50_organisations.xlsx adds them through
# the sponsorship template "organisations".

BLOC_2016 = "Đảng ủy Khối các cơ quan tỉnh Hà Tĩnh"  # the organiser of 15/08/2016
SPONSORSHIP_ORGANISATIONS = [
    # name, short name, kind (label): made by the sponsorship demo, listed here for the tests
    ("Đảng bộ Sở Văn hóa, Thể thao và Du lịch tỉnh Hà Tĩnh", "", "Đảng bộ, chi bộ"),
    ("Đảng bộ Sở Giao thông Vận tải tỉnh Hà Tĩnh", "", "Đảng bộ, chi bộ"),
    ("Đảng bộ Sở Nội vụ tỉnh Hà Tĩnh", "", "Đảng bộ, chi bộ"),
    ("Đảng bộ Cơ quan Tỉnh đoàn Hà Tĩnh", "Đảng bộ Cơ quan Tỉnh đoàn", "Đảng bộ, chi bộ"),
    ("Văn phòng Tỉnh ủy Ninh Bình", "", "Cơ quan Đảng"),
]
SPONSORSHIP_DECISIONS = ["140-QĐ/TU"]

ORGANISATIONS = [
    # name, short name, kind (label), parent, home unit (GSO code)
    (BLOC_2016, "ĐUK CCQ Hà Tĩnh", "Cơ quan Đảng", "", "42"),
    (
        "Văn phòng Điều phối Chương trình MTQG xây dựng nông thôn mới tỉnh Hà Tĩnh",
        "VPĐP NTM Hà Tĩnh",
        "Sở, ban, ngành",
        "",
        "42",
    ),
    ("Huyện ủy Kỳ Anh", "", "Cơ quan Đảng", "", "447"),
    ("Ủy ban nhân dân huyện Kỳ Anh", "UBND huyện Kỳ Anh", "Khác", "", "447"),
    ("Hội Khuyến học huyện Kỳ Anh", "", "Mặt trận Tổ quốc, đoàn thể", "", "447"),
    ("Huyện ủy Can Lộc", "", "Cơ quan Đảng", "", "443"),
    ("Huyện ủy Hương Khê", "", "Cơ quan Đảng", "", "444"),
    ("Ban Dân vận Huyện ủy Hương Khê", "", "Cơ quan Đảng", "Huyện ủy Hương Khê", "444"),
    (
        "Ban Chỉ đạo xây dựng cơ sở chính trị vững mạnh tỉnh Hà Giang",
        "BCĐ XDCSCTVM Hà Giang",
        "Cơ quan Đảng",
        "",
        "02",
    ),
    ("Ban Tổ chức Tỉnh ủy Hà Giang", "", "Cơ quan Đảng", "", "02"),
    ("Sở Nội vụ tỉnh Hà Giang", "Sở Nội vụ Hà Giang", "Sở, ban, ngành", "", "02"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Hà Giang", "UB MTTQ tỉnh Hà Giang", "Mặt trận Tổ quốc, đoàn thể", "", "02"),
    ("Tỉnh ủy Ninh Bình", "", "Cơ quan Đảng", "", "37"),
    (
        "Văn phòng Điều phối Chương trình MTQG xây dựng nông thôn mới tỉnh Ninh Bình",
        "VPĐP NTM Ninh Bình",
        "Sở, ban, ngành",
        "",
        "37",
    ),
    ("Hiệp hội Doanh nghiệp tỉnh Ninh Bình", "", "Khác", "", "37"),
]

# Quyết định 140-QĐ/TU comes from the sponsorship demo; Kế hoạch 11 is only named by the 2016
# article ("Kế hoạch 11 ngày 27/5/2016 của Ban Thường vụ Đảng ủy Khối"): its full symbol and title
# are not published, so the symbol below follows the usual pattern and the title says so.
DECISIONS = [
    # symbol, type, issuer, issued on, term from, term to, title, province
    (
        "11-KH/ĐUK",
        "Kế hoạch",
        "Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh Hà Tĩnh",
        D(2016, 5, 27),
        None,
        None,
        "Kế hoạch số 11 về lãnh đạo xây dựng nông thôn mới (ký hiệu và trích yếu đầy đủ không có trong nguồn)",
        "42",
    ),
]

# --- the six meetings ---------------------------------------------------------------------


MEETINGS = [
    {
        "code": "HT-20160815-DUK",
        "title": "Giao ban tình hình lãnh đạo, chỉ đạo xây dựng nông thôn mới của cấp ủy cơ sở 7 tháng đầu năm 2016",
        "kind": "Giao ban",
        "day": D(2016, 8, 15),
        "hour": "14:00",  # the article: "chiều ngày 15/8"
        "place": "",
        "organiser": BLOC_2016,
        "online": False,
        "bridge_points": None,
        "bridge_units": [],
        "decisions": ["11-KH/ĐUK"],
        "period": (D(2016, 1, 1), D(2016, 7, 31)),
        "summary": (
            "Đảng ủy Khối rà soát việc các cấp ủy cơ sở lãnh đạo xây dựng nông thôn mới trong bảy tháng đầu năm "
            "2016 và bàn hướng làm tiếp. Đại biểu nhất trí với đánh giá chung, chỉ ra vì sao một số tiêu chí "
            "ở xã còn đạt thấp và nêu cách gỡ."
        ),
        "participants": [
            # name, post as published, organisation as published, catalogue organisation, role
            ("Trần Thế Dũng", "TUV, Bí thư Đảng ủy Khối", "Đảng ủy Khối các cơ quan tỉnh", BLOC_2016, "Chủ trì"),
            (
                "Lê Văn Vinh",
                "Phó Bí thư Thường trực Đảng ủy Khối",
                "Đảng ủy Khối các cơ quan tỉnh",
                BLOC_2016,
                "Chủ trì",
            ),
            ("", "Các đồng chí trong Ban Thường vụ Đảng ủy Khối", "", BLOC_2016, "Dự"),
            (
                "Ngô Đình Long",
                "Phó Chánh Văn phòng Điều phối CTMTQG xây dựng nông thôn mới tỉnh",
                "",
                "Văn phòng Điều phối Chương trình MTQG xây dựng nông thôn mới tỉnh Hà Tĩnh",
                "Dự",
            ),
            ("", "Thường trực các đoàn thể Khối các cơ quan tỉnh", "", "", "Dự"),
            ("", "Thành viên Tổ giúp việc xây dựng nông thôn mới của Đảng ủy Khối", "", BLOC_2016, "Dự"),
            (
                "",
                "Đại diện lãnh đạo cấp ủy, chuyên môn và Tổ xây dựng nông thôn mới",
                "13 đơn vị sở, ban, ngành, đoàn thể cấp tỉnh liên quan",
                "",
                "Dự",
            ),
            (
                "Nguyễn Văn Hạnh",
                "Phó Bí thư Đảng bộ, Phó Giám đốc Sở",
                "Sở Văn hóa, Thể thao và Du lịch",
                "Đảng bộ Sở Văn hóa, Thể thao và Du lịch tỉnh Hà Tĩnh",
                "Dự",
            ),
            (
                "Trần Quang Tuấn",
                "Phó Giám đốc Sở",
                "Sở Giao thông Vận tải",
                "Đảng bộ Sở Giao thông Vận tải tỉnh Hà Tĩnh",
                "Dự",
            ),
            ("Nguyễn Văn Thảo", "", "Sở Nội vụ", "Đảng bộ Sở Nội vụ tỉnh Hà Tĩnh", "Dự"),
            (
                "Nguyễn Thế Hoàn",
                "TUV, Bí thư Đảng bộ, Bí thư Tỉnh đoàn",
                "Tỉnh đoàn",
                "Đảng bộ Cơ quan Tỉnh đoàn Hà Tĩnh",
                "Dự",
            ),
        ],
        "speeches": [
            # kind, speaker (name or post), topic, summary, criteria
            (
                "Báo cáo đề dẫn",
                "Lê Văn Vinh",
                "Báo cáo đặt vấn đề",
                "Chương trình và việc đỡ đầu xã theo quyết định của UBND tỉnh được cán bộ, đảng viên và nhân "
                "dân đồng thuận; Đảng bộ Khối chủ động tham mưu cơ chế, chính sách và đồng hành với địa phương. "
                "Đến nay 51 đảng bộ, chi bộ trực thuộc đỡ đầu, giúp đỡ 73 xã. Còn tồn tại: vài cấp ủy chỉ đạo "
                "chưa tập trung, tham mưu chậm, rà soát tiêu chí của ngành chưa kịp, đỡ đầu chưa đều, lồng ghép "
                "chương trình dàn trải. Ban Chỉ đạo tỉnh nhận xét bảy tháng đầu năm phong trào có dấu hiệu chững "
                "lại, nhiều mô hình sản xuất thiếu bền vững; các tiêu chí đạt thấp: 17, 2, 6, 10, 11, 5, 16.",
                "17; 2; 6; 10; 11; 5; 16",
            ),
            (
                "Phát biểu",
                "Nguyễn Văn Hạnh",
                "",
                "Sở dồn sức cho nhóm xã đã và sẽ về đích năm 2016, bố trí và lồng ghép kinh phí các chương trình, "
                "dự án để xã xong tiêu chí cơ sở vật chất văn hóa và tiêu chí văn hóa, gắn với phong trào “Toàn "
                "dân đoàn kết xây dựng đời sống văn hóa” và nâng chất lượng danh hiệu gia đình, thôn văn hóa.",
                "6; 16",
            ),
            (
                "Phát biểu",
                "Trần Quang Tuấn",
                "",
                "Thiếu người và nguồn lực nhưng Sở vẫn tham mưu cho tỉnh cơ chế hỗ trợ xi măng làm đường giao "
                "thông nông thôn và mương thoát nước, mở tập huấn, giao từng phòng theo dõi tiến độ và hướng dẫn "
                "xã làm tiêu chí giao thông.",
                "2",
            ),
            (
                "Phát biểu",
                "Nguyễn Văn Thảo",
                "Tiêu chí 18",
                "Khi kiện toàn lãnh đạo các đoàn thể chính trị - xã hội ở xã cần coi trọng chất lượng, ưu tiên "
                "người đã qua đào tạo.",
                "18",
            ),
            (
                "Phát biểu",
                "Nguyễn Thế Hoàn",
                "",
                "Các cấp bộ đoàn góp sức bằng hoạt động tình nguyện và ngày công: chỉnh trang vườn hộ, trồng cây "
                "xanh, làm 238 tuyến điện thắp sáng dài tổng cộng 224,8 km.",
                "",
            ),
            (
                "Phát biểu",
                "Ngô Đình Long",
                "",
                "Bổ sung kết quả toàn tỉnh bảy tháng đầu năm 2016; ghi nhận vai trò đỡ đầu, giúp xã làm tiêu chí "
                "của các đảng bộ, chi bộ trong Khối. Đề nghị Đảng ủy Khối chỉ đạo các đơn vị kiện toàn Tổ giúp "
                "việc, thực hiện các thông báo kết luận của Ban Chỉ đạo tỉnh và các quyết định đỡ đầu của UBND tỉnh.",
                "",
            ),
            (
                "Kết luận",
                "Trần Thế Dũng",
                "",
                "Xây dựng nông thôn mới là việc trọng tâm của cấp ủy trong cả nhiệm kỳ; cấp ủy các đơn vị phải bám "
                "thông báo kết luận của Ban Chỉ đạo tỉnh và Kế hoạch 11 ngày 27/5/2016 của Ban Thường vụ Đảng ủy "
                "Khối. Các điểm kết luận ghi ở phần Kết luận.",
                "",
            ),
        ],
        "conclusions": [
            "Lãnh đạo xây dựng nông thôn mới là việc trọng tâm của cấp ủy các đơn vị trong cả nhiệm kỳ; làm theo "
            "các thông báo kết luận của Ban Chỉ đạo tỉnh và Kế hoạch 11 (27/5/2016) của Ban Thường vụ Đảng ủy Khối.",
            "Nâng trách nhiệm và tính chủ động trong tham mưu, hướng dẫn, tổ chức thực hiện.",
            "Mỗi ngành, cơ quan kiện toàn Tổ giúp việc xây dựng nông thôn mới của mình, soát lại các tiêu chí "
            "thuộc ngành để hướng dẫn và gỡ vướng cho xã; ưu tiên các xã về đích hoặc đăng ký về đích năm 2016.",
            "Đẩy mạnh tuyên truyền; sở, ngành phối hợp chặt hơn với địa phương và các đoàn thể.",
            "Làm tốt việc đỡ đầu theo quyết định của UBND tỉnh: cấp ủy từng đơn vị lập chương trình, kế hoạch cụ "
            "thể và ký kết với xã được giao.",
            "Tăng kiểm tra, giám sát, đôn đốc; cấp ủy giám sát thường xuyên cán bộ, đảng viên làm nhiệm vụ được giao.",
        ],
        "tasks": [
            # conclusion no., text, owner, communes, criteria, due, status, done on, result
            (
                3,
                "Kiện toàn Tổ giúp việc xây dựng nông thôn mới ở các đảng bộ, chi bộ trực thuộc; tổng hợp danh sách "
                "báo cáo Ban Thường vụ Đảng ủy Khối.",
                BLOC_2016,
                [],
                "",
                D(2016, 9, 30),
                "Đã hoàn thành",
                D(2016, 9, 28),
                "Minh họa: đã có danh sách Tổ giúp việc của các đơn vị.",
            ),
            (
                3,
                "Rà soát tiêu chí 6 và 16 ở các xã đăng ký về đích năm 2016, hướng dẫn xã hoàn thiện.",
                "Đảng bộ Sở Văn hóa, Thể thao và Du lịch tỉnh Hà Tĩnh",
                [],
                "6; 16",
                D(2016, 10, 31),
                "Đã hoàn thành",
                D(2016, 10, 25),
                "Minh họa: đã gửi kết quả rà soát cho các xã.",
            ),
            (
                3,
                "Hướng dẫn các xã thực hiện tiêu chí 2, theo dõi việc dùng xi măng hỗ trợ làm đường giao thông "
                "nông thôn.",
                "Đảng bộ Sở Giao thông Vận tải tỉnh Hà Tĩnh",
                [],
                "2",
                D(2016, 12, 31),
                "Đang thực hiện",
                None,
                "",
            ),
            (
                5,
                "Lập chương trình, kế hoạch đỡ đầu cụ thể và ký kết với từng xã được UBND tỉnh giao.",
                BLOC_2016,
                [],
                "",
                D(2016, 11, 30),
                "Chưa thực hiện",
                None,
                "",
            ),
            (
                6,
                "Kiểm tra, giám sát việc thực hiện nhiệm vụ xây dựng nông thôn mới của cấp ủy cơ sở và đảng viên "
                "được phân công.",
                BLOC_2016,
                [],
                "",
                D(2016, 12, 31),
                "Chưa thực hiện",
                None,
                "",
            ),
        ],
    },
    {
        "code": "HG-20170420-BCD",
        "title": "Sơ kết quý I và bàn nhiệm vụ quý II năm 2017 về xây dựng cơ sở chính trị vững mạnh (trực tuyến)",
        "kind": "Hội nghị trực tuyến",
        "day": D(2017, 4, 20),
        "hour": "08:00",  # the article: "sáng 20/4"
        "place": "Trực tuyến tới 11 điểm cầu",
        "organiser": "Ban Chỉ đạo xây dựng cơ sở chính trị vững mạnh tỉnh Hà Giang",
        "online": True,
        "bridge_points": 11,
        # "11 điểm cầu gồm các huyện, thành phố": the province had exactly 10 districts and 1 city.
        "bridge_units": ["024", "026", "027", "028", "029", "030", "031", "032", "033", "034", "035"],
        "decisions": [],
        "period": (D(2017, 1, 1), D(2017, 3, 31)),
        "summary": (
            "Ban Chỉ đạo XDCSCTVM tỉnh họp trực tuyến với 11 điểm cầu ở các huyện và thành phố để đánh giá quý "
            "I/2017 và bàn việc quý II; các huyện góp ý thẳng vào dự thảo báo cáo."
        ),
        "participants": [
            (
                "Thào Hồng Sơn",
                "Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh, Trưởng Ban Chỉ đạo XDCSCTVM",
                "",
                "Ban Chỉ đạo xây dựng cơ sở chính trị vững mạnh tỉnh Hà Giang",
                "Chủ trì",
            ),
            (
                "Nguyễn Trung Tài",
                "Ủy viên BTV Tỉnh ủy, Trưởng ban Tổ chức Tỉnh ủy, Phó Trưởng ban Thường trực BCĐ XDCSCTVM tỉnh",
                "",
                "Ban Tổ chức Tỉnh ủy Hà Giang",
                "Chủ trì",
            ),
            ("", "Lãnh đạo một số sở, ban, ngành liên quan", "", "", "Dự"),
            ("", "Các ban xây dựng Đảng của Tỉnh ủy", "", "", "Dự"),
            ("", "Thường trực cấp ủy và Ban Chỉ đạo XDCSCTVM các huyện, thành phố (tại các điểm cầu)", "", "", "Dự"),
            ("", "Một số phòng, ban chuyên môn", "", "", "Dự"),
        ],
        "speeches": [
            (
                "Báo cáo đề dẫn",
                "",
                "Báo cáo sơ kết quý I/2017",
                "Quý I, Ban Chỉ đạo các cấp giữ nền nếp làm việc và tham mưu tốt cho cấp ủy về kinh tế - xã hội, "
                "xây dựng Đảng, an ninh và biên giới; thành viên cấp tỉnh, nhất là trưởng các ban đảng, thường "
                "xuyên về xã được giao; cấp huyện bám cơ sở và triển khai các đề án 145, 04, 06 của Tỉnh ủy. "
                "Hạn chế: một số cơ quan, đơn vị, doanh nghiệp được giao giúp xã chưa thường xuyên xuống làm việc "
                "với cơ sở (bận chuyên môn, kinh doanh, đổi nhân sự, đường khó đi); dùng xe công và trực lãnh đạo "
                "ngày nghỉ ở vài huyện chưa nghiêm; cải cách thủ tục hành chính chậm. Quý II: tiếp tục Nghị quyết "
                "Trung ương 4 khóa XI và khóa XII, hỗ trợ khởi nghiệp, tăng thu ngân sách, giãn hoãn công trình "
                "vốn nhà nước chưa cấp thiết.",
                "",
            ),
            (
                "Tham luận",
                "Thường trực cấp ủy và Ban Chỉ đạo XDCSCTVM các huyện, thành phố (tại các điểm cầu)",
                "",
                "Các huyện, thành phố góp ý, bổ sung vào dự thảo báo cáo sơ kết.",
                "",
            ),
            (
                "Kết luận",
                "Thào Hồng Sơn",
                "",
                "Tiếp thu ý kiến các huyện; thành viên Ban Chỉ đạo cơ bản làm tròn việc quý I; giao các việc "
                "trọng tâm quý II ghi ở phần Kết luận.",
                "",
            ),
        ],
        "conclusions": [
            "Ban Chỉ đạo các cấp phát huy những mặt làm được, khắc phục những điểm còn yếu của quý I.",
            "Tiếp tục lãnh đạo đề án luân chuyển, quy hoạch cán bộ lãnh đạo các cấp; đánh giá hiệu quả, chất "
            "lượng các đơn vị sự nghiệp sau sáp nhập.",
            "Tham mưu cho cấp ủy làm tốt xây dựng Đảng ở thôn, tổ dân phố để chi bộ ở đó hoạt động thực chất.",
            "Tiếp tục gỡ khó cho người kiêm nhiệm chức danh ở xã, thôn, nhất là về chế độ.",
            "Quan tâm hơn cải cách hành chính ở các huyện, nhất là nơi chưa có trung tâm hành chính công.",
            "Các tổ chức chính trị - xã hội đẩy mạnh tuyên truyền, nhất là về xây dựng nông thôn mới; giải quyết "
            "tốt khiếu nại, tố cáo từ cơ sở.",
        ],
        "tasks": [
            (
                1,
                "Đôn đốc các cơ quan, đơn vị, doanh nghiệp được giao giúp xã xuống làm việc với cơ sở thường xuyên; "
                "báo cáo kết quả khi sơ kết quý II.",
                "Ban Tổ chức Tỉnh ủy Hà Giang",
                [],
                "",
                D(2017, 6, 30),
                "Đã hoàn thành",
                D(2017, 6, 28),
                "Minh họa: đã báo cáo trong sơ kết quý II.",
            ),
            (
                2,
                "Đánh giá hiệu quả, chất lượng hoạt động các đơn vị sự nghiệp sau sáp nhập.",
                "Sở Nội vụ tỉnh Hà Giang",
                [],
                "",
                D(2017, 9, 30),
                "Đang thực hiện",
                None,
                "",
            ),
            (
                4,
                "Đề xuất cách gỡ khó về chế độ cho người kiêm nhiệm chức danh ở xã, thôn.",
                "Sở Nội vụ tỉnh Hà Giang",
                [],
                "",
                D(2017, 9, 30),
                "Chưa thực hiện",
                None,
                "",
            ),
            (
                6,
                "Đẩy mạnh tuyên truyền về xây dựng nông thôn mới trong đoàn viên, hội viên.",
                "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Hà Giang",
                [],
                "",
                D(2017, 12, 31),
                "Đang thực hiện",
                None,
                "",
            ),
        ],
    },
    {
        "code": "HT-KA-2017-Q1",
        "title": "Sơ kết nhiệm vụ chính trị quý I, triển khai nhiệm vụ quý II năm 2017 của Huyện ủy Kỳ Anh",
        "kind": "Sơ kết quý",
        "day": D(2017, 4, 14),  # the article's date: the meeting was held shortly before
        "hour": "",
        "place": "",
        "organiser": "Huyện ủy Kỳ Anh",
        "online": False,
        "bridge_points": None,
        "bridge_units": [],
        "decisions": [],
        "period": (D(2017, 1, 1), D(2017, 3, 31)),
        "summary": "Hội nghị Ban Chấp hành Đảng bộ huyện đánh giá quý I và đề ra nhiệm vụ quý II năm 2017.",
        "participants": [
            ("", "Ban Chấp hành Đảng bộ huyện", "", "Huyện ủy Kỳ Anh", "Dự"),
        ],
        "speeches": [
            (
                "Báo cáo đề dẫn",
                "",
                "Kết quả quý I/2017",
                "Quý I gieo cấy 5.466,32 ha lúa, trồng 1.101,4 ha sắn, làm 9 mô hình lúa giống; khai thác hải sản "
                "ước 371,6 tấn (khoảng 18,5 tỷ đồng); thương mại - dịch vụ ước 294,98 tỷ đồng. Nông thôn mới được "
                "chỉ đạo từ huyện tới xã, bình quân đạt 9,8 tiêu chí/xã. Đã chi trả bồi thường sự cố môi trường "
                "biển cho 3.089 đối tượng (122,072 tỷ đồng). Mô hình “Tiếng trống khuyến học” được đưa ra 6 xã Kỳ "
                "Lâm, Kỳ Lạc, Kỳ Văn, Kỳ Châu, Kỳ Tiến, Kỳ Xuân; dạy nghề, tư vấn xuất khẩu lao động cho trên 1.000 "
                "lượt người. Hạn chế: tái cơ cấu nông nghiệp gắn với nông thôn mới còn chậm, thu ngân sách thấp, "
                "an ninh trật tự và an toàn giao thông còn phức tạp.",
                "",
            ),
        ],
        "conclusions": [
            "Chỉ đạo kế hoạch sản xuất nông nghiệp và đẩy mạnh xây dựng nông thôn mới.",
            "Ổn định đời sống, làm tốt an sinh xã hội; chi trả bồi thường cho những đối tượng còn lại bị ảnh hưởng "
            "sự cố môi trường biển.",
            "Đẩy mạnh thu ngân sách, thực hành tiết kiệm, chống lãng phí.",
            "Ban hành đề án thu gom, vận chuyển, xử lý chất thải rắn sinh hoạt.",
            "Nắm chắc tình hình, xử lý kịp thời vụ việc phức tạp, giải quyết dứt điểm khiếu nại, tố cáo đúng quy định.",
            "Phát động thi đua lao động, sản xuất trong các cơ quan, đơn vị và nhân dân.",
        ],
        "tasks": [
            (
                4,
                "Xây dựng, trình ban hành đề án thu gom, vận chuyển, xử lý chất thải rắn sinh hoạt của huyện.",
                "Ủy ban nhân dân huyện Kỳ Anh",
                [],
                "17",
                D(2017, 6, 30),
                "Đang thực hiện",
                None,
                "",
            ),
            (
                2,
                "Chi trả tiền bồi thường cho các đối tượng còn lại bị ảnh hưởng bởi sự cố môi trường biển.",
                "Ủy ban nhân dân huyện Kỳ Anh",
                [],
                "",
                D(2017, 6, 30),
                "Đã hoàn thành",
                D(2017, 6, 26),
                "Minh họa: đã chi trả xong.",
            ),
            (
                1,
                "Duy trì mô hình “Tiếng trống khuyến học” ở các xã mới nhân rộng.",
                "Hội Khuyến học huyện Kỳ Anh",
                # Kỳ Lâm, the sixth commune, is in neither official list (merged before 2025).
                ["18850", "18784", "18811", "18769", "18757"],
                "14",
                D(2017, 12, 31),
                "Đang thực hiện",
                None,
                "",
            ),
        ],
    },
    {
        "code": "HT-CL-2017-Q1",
        "title": "Ban Thường vụ Huyện ủy Can Lộc làm việc với các đoàn công tác: quý I và nhiệm vụ quý II năm 2017",
        "kind": "Sơ kết quý",
        "day": D(2017, 4, 14),  # the article's date
        "hour": "",
        "place": "",
        "organiser": "Huyện ủy Can Lộc",
        "organiser_name": "Ban Thường vụ Huyện ủy Can Lộc",
        "online": False,
        "bridge_points": None,
        "bridge_units": [],
        "decisions": [],
        "period": (D(2017, 1, 1), D(2017, 3, 31)),
        "summary": (
            "Ban Thường vụ Huyện ủy nghe các đoàn công tác chỉ đạo, kiểm tra, giám sát ở các xã, thị trấn báo cáo "
            "quý I và giao việc quý II năm 2017."
        ),
        "participants": [
            ("", "Ban Thường vụ Huyện ủy", "", "Huyện ủy Can Lộc", "Chủ trì"),
            ("", "Thường trực Huyện ủy", "", "Huyện ủy Can Lộc", "Dự"),
            ("", "Thành viên các đoàn công tác chỉ đạo, kiểm tra, giám sát tại các xã, thị trấn", "", "", "Dự"),
        ],
        "speeches": [
            (
                "Báo cáo đề dẫn",
                "Thành viên các đoàn công tác chỉ đạo, kiểm tra, giám sát tại các xã, thị trấn",
                "Hoạt động của các tổ công tác quý I",
                "Các tổ công tác bám địa bàn được giao, dự sinh hoạt chi bộ và các buổi làm việc ở xã, thị trấn, "
                "báo cáo hằng tháng về Thường trực Huyện ủy đúng hạn; nhiều tổ nêu kiến nghị giúp huyện gỡ vướng. "
                "Hạn chế: kết quả chưa cao ở sản xuất nông nghiệp, nhân rộng mô hình kinh tế, phát triển doanh "
                "nghiệp, hợp tác xã, giải ngân vốn nông thôn mới và hỗ trợ xi măng; giúp cơ sở xử lý việc tồn đọng "
                "còn chậm.",
                "",
            ),
            (
                "Kết luận",
                "Thường trực Huyện ủy",
                "",
                "Yêu cầu thành viên các đoàn công tác tiếp tục bám cơ sở trong quý II; các việc cụ thể ghi ở phần "
                "Kết luận.",
                "",
            ),
        ],
        "conclusions": [
            "Thành viên đoàn công tác bám sát cơ sở, cùng địa phương làm các nhiệm vụ chính trị trọng tâm quý II.",
            "Nắm và xử lý ngay tại cơ sở các việc phát sinh, nhất là khiếu nại về đất đai, chế độ chính sách; "
            "tuyên truyền chính sách hỗ trợ sản xuất tới các hộ có nhu cầu.",
            "Phối hợp với phòng, ban cấp huyện, Mặt trận và các đoàn thể giúp các xã làm tiêu chí nông thôn mới "
            "theo kế hoạch.",
            "Học tập và thực hiện thiết thực Chỉ thị 05 của Bộ Chính trị, Nghị quyết Trung ương 4 khóa XII.",
            "Chấp hành nghiêm quy chế làm việc và sinh hoạt chi bộ ở thôn, xóm, khối phố; tổng kết 10 năm Chỉ thị "
            "10-CT/TW về nâng cao chất lượng sinh hoạt chi bộ đúng yêu cầu và thời gian.",
        ],
        "tasks": [
            (
                3,
                "Phối hợp giúp các xã được phân công làm các tiêu chí nông thôn mới theo kế hoạch năm 2017; báo cáo "
                "hằng tháng về Thường trực Huyện ủy.",
                "Huyện ủy Can Lộc",
                [],
                "",
                D(2017, 12, 31),
                "Đang thực hiện",
                None,
                "",
            ),
            (
                5,
                "Tổng kết 10 năm thực hiện Chỉ thị 10-CT/TW về nâng cao chất lượng sinh hoạt chi bộ.",
                "Huyện ủy Can Lộc",
                [],
                "",
                D(2017, 6, 30),
                "Đã hoàn thành",
                D(2017, 6, 20),
                "Minh họa: đã tổ chức tổng kết.",
            ),
        ],
    },
    {
        "code": "HT-HK-2017-Q1",
        "title": "Sơ kết công tác dân vận quý I, triển khai nhiệm vụ quý II năm 2017 của Huyện ủy Hương Khê",
        "kind": "Sơ kết quý",
        "day": D(2017, 4, 14),  # the article's date
        "hour": "",
        "place": "",
        "organiser": "Huyện ủy Hương Khê",
        "online": False,
        "bridge_points": None,
        "bridge_units": [],
        "decisions": [],
        "period": (D(2017, 1, 1), D(2017, 3, 31)),
        "summary": "Huyện ủy đánh giá công tác dân vận quý I và giao nhiệm vụ dân vận quý II năm 2017.",
        "participants": [
            ("", "Bí thư Huyện ủy", "", "Huyện ủy Hương Khê", "Dự"),
            ("", "Thành viên các ban chỉ đạo của huyện", "", "", "Dự"),
        ],
        "speeches": [
            (
                "Báo cáo đề dẫn",
                "",
                "Công tác dân vận quý I/2017",
                "Dân vận góp phần vận động nhân dân thu hoạch vụ Đông, đẩy mạnh vụ Xuân, phòng dịch cho gia súc, gia "
                "cầm; chăm lo người nghèo, nạn nhân chất độc da cam và gia đình chính sách dịp Tết Đinh Dậu. Phong "
                "trào “Dân vận khéo” gắn với học tập và làm theo Bác và thi đua xây dựng nông thôn mới, hướng tới "
                "150 năm thành lập huyện; đẩy mạnh làm giao thông nông thôn, kênh mương bê tông, thủy lợi nội đồng; "
                "giữ quan hệ với chức sắc tôn giáo. Hạn chế: dân vận ở một số cấp ủy chưa hiệu quả, kế hoạch chưa cụ "
                "thể, nắm tình hình nhân dân chưa kịp thời; phối hợp xử lý tồn đọng về tôn giáo còn yếu.",
                "2; 3",
            ),
            (
                "Kết luận",
                "Bí thư Huyện ủy",
                "",
                "Chỉ đạo nhiệm vụ dân vận quý II; các việc cụ thể ghi ở phần Kết luận.",
                "",
            ),
        ],
        "conclusions": [
            "Thành viên các ban chỉ đạo của huyện bám quy chế, phối hợp với cấp ủy, chính quyền, Mặt trận và đoàn "
            "thể làm tốt dân vận ở cơ sở.",
            "Đổi mới cách tuyên truyền chủ trương, chính sách và xây dựng nông thôn mới; phát động thi đua hướng "
            "tới 150 năm thành lập huyện.",
            "Nắm chắc tình hình, có phương án giữ an ninh trật tự, an toàn giao thông.",
        ],
        "tasks": [
            (
                2,
                "Đổi mới hình thức tuyên truyền về xây dựng nông thôn mới; phát động thi đua chào mừng 150 năm thành "
                "lập huyện.",
                "Ban Dân vận Huyện ủy Hương Khê",
                [],
                "",
                D(2017, 6, 30),
                "Đã hoàn thành",
                D(2017, 6, 30),
                "Minh họa: đã phát động thi đua.",
            ),
            (
                1,
                "Đôn đốc các ban chỉ đạo của huyện thực hiện quy chế phối hợp làm dân vận ở cơ sở.",
                "Huyện ủy Hương Khê",
                [],
                "",
                D(2017, 6, 30),
                "Chưa thực hiện",
                None,
                "",
            ),
        ],
    },
    {
        "code": "NB-2019-140QD",
        "title": "Sơ kết 3 năm thực hiện Quyết định số 140-QĐ/TU của Ban Thường vụ Tỉnh ủy Ninh Bình",
        "kind": "Sơ kết nhiều năm",
        "day": D(2019, 5, 22),  # the article's date: the review was held before it
        "hour": "",
        "place": "",
        "organiser": "Tỉnh ủy Ninh Bình",
        "organiser_name": "Ban Thường vụ Tỉnh ủy Ninh Bình",
        "online": False,
        "bridge_points": None,
        "bridge_units": [],
        "decisions": ["140-QĐ/TU"],
        "period": (D(2016, 3, 1), D(2019, 2, 28)),
        "summary": (
            "Ban Thường vụ Tỉnh ủy sơ kết ba năm phân công 55 cơ quan, đơn vị phụ trách và 56 doanh nghiệp kết "
            "nghĩa với các xã, phường, thị trấn đặc thù (Quyết định 140-QĐ/TU và Quy định 141-QĐ/TU ngày "
            "01/3/2016, giai đoạn 2016–2020), theo phương châm “xã là chính, cơ quan, đơn vị phụ trách là quan "
            "trọng, doanh nghiệp kết nghĩa là cần thiết”."
        ),
        "participants": [
            ("", "Ban Thường vụ Tỉnh ủy", "", "Tỉnh ủy Ninh Bình", "Chủ trì"),
        ],
        "speeches": [
            (
                "Báo cáo đề dẫn",
                "",
                "Kết quả 3 năm thực hiện Quyết định 140-QĐ/TU",
                "Cơ quan phụ trách và doanh nghiệp kết nghĩa cử lãnh đạo trực tiếp theo dõi, khảo sát tiêu chí, tư "
                "vấn chuyển dịch cơ cấu kinh tế, giống cây trồng, vật nuôi và huy động nguồn lực xã hội hóa. Ba năm "
                "qua đã hỗ trợ xây 33 ngôi nhà (24 nhà tình nghĩa, 6 nhà đại đoàn kết, 1 nhà mái ấm tình thương, "
                "1 nhà mái ấm công đoàn, 1 nhà khăn quàng đỏ) và 15 nhà văn hóa thôn, xóm; sửa chữa, nâng cấp 9 "
                "trường học, 4 trạm y tế; tặng 107 bộ máy vi tính, 7 máy in, 7.120 suất quà, 180 suất học bổng; "
                "khám, tư vấn sức khỏe và cấp thuốc miễn phí cho hơn 2.700 người; tổng giá trị trên 50 tỷ đồng. "
                "23/56 xã đặc thù đạt chuẩn nông thôn mới, nâng số xã đạt chuẩn toàn tỉnh lên 90/119, góp phần để "
                "Hoa Lư, Yên Khánh đạt chuẩn và Tam Điệp hoàn thành nhiệm vụ xây dựng nông thôn mới.",
                "5; 6; 9; 15",
            ),
            (
                "Kết luận",
                "Ban Thường vụ Tỉnh ủy",
                "",
                "Yêu cầu các cấp ủy, cơ quan phụ trách, doanh nghiệp kết nghĩa và xã đặc thù tiếp tục các nhiệm vụ "
                "trọng tâm ghi ở phần Kết luận.",
                "",
            ),
        ],
        "conclusions": [
            "Các cấp ủy, chính quyền, ban, ngành, đoàn thể coi việc thực hiện Quyết định 140-QĐ/TU là việc trọng "
            "tâm, gắn với chủ đề công tác năm 2019 của tỉnh và Chương trình xây dựng nông thôn mới.",
            "Cơ quan, đơn vị phụ trách cử cán bộ có năng lực thường xuyên về xã; cùng doanh nghiệp kết nghĩa và xã "
            "chọn mỗi lĩnh vực ít nhất một mô hình, việc làm cụ thể để đăng ký với Ban Thường vụ Tỉnh ủy; rà soát "
            "tiêu chí chưa đạt, nhất là ở các xã đăng ký về đích năm 2019.",
            "Doanh nghiệp kết nghĩa tạo việc làm, tăng thu nhập cho lao động địa phương, liên kết sản xuất với tiêu "
            "thụ, hỗ trợ hạ tầng và an sinh xã hội.",
            "Xã đặc thù chủ động liên hệ, đề xuất với cơ quan phụ trách và doanh nghiệp; chuyển dịch cơ cấu kinh "
            "tế, huy động nguồn lực, xây dựng khu dân cư nông thôn mới kiểu mẫu.",
            "Huyện ủy, thành ủy ưu tiên nguồn lực cho xã đặc thù và phối hợp với cơ quan phụ trách gỡ vướng kịp thời.",
            "Hiệp hội Doanh nghiệp tỉnh động viên, đôn đốc doanh nghiệp kết nghĩa; kịp thời biểu dương, khen thưởng "
            "doanh nghiệp giúp xã hiệu quả.",
        ],
        "tasks": [
            (
                2,
                "Tổng hợp đăng ký mô hình, việc làm cụ thể theo lĩnh vực của các cơ quan, đơn vị phụ trách; báo cáo "
                "Ban Thường vụ Tỉnh ủy.",
                "Văn phòng Tỉnh ủy Ninh Bình",
                [],
                "",
                D(2019, 7, 31),
                "Đang thực hiện",
                None,
                "",
            ),
            (
                2,
                "Rà soát tiêu chí chưa đạt của các xã đặc thù đăng ký về đích năm 2019, đề xuất giải pháp.",
                "Văn phòng Điều phối Chương trình MTQG xây dựng nông thôn mới tỉnh Ninh Bình",
                [],
                "",
                D(2019, 6, 30),
                "Đã hoàn thành",
                D(2019, 6, 28),
                "Minh họa: đã gửi kết quả rà soát.",
            ),
            (
                6,
                "Đôn đốc doanh nghiệp kết nghĩa; đề xuất biểu dương, khen thưởng doanh nghiệp hỗ trợ xã hiệu quả.",
                "Hiệp hội Doanh nghiệp tỉnh Ninh Bình",
                [],
                "",
                D(2019, 12, 31),
                "Chưa thực hiện",
                None,
                "",
            ),
        ],
    },
]


# --- the sheets, in the templates' own columns --------------------------------------------------


def organisation_rows():
    header = ["Tên cơ quan, đơn vị", "Tên viết tắt", "Loại", "Trực thuộc", "Địa bàn"]
    return header, [list(row) for row in ORGANISATIONS]


def decision_rows():
    header = [
        "Số, ký hiệu",
        "Loại văn bản",
        "Cơ quan ban hành",
        "Ngày ban hành",
        "Giai đoạn từ năm",
        "Giai đoạn đến năm",
        "Trích yếu",
        "Tỉnh",
    ]
    return header, [list(row) for row in DECISIONS]


def meeting_rows():
    header = [
        "Mã hội nghị",
        "Tên hội nghị",
        "Loại hội nghị",
        "Ngày họp",
        "Giờ bắt đầu",
        "Địa điểm",
        "Cơ quan tổ chức",
        "Tên cơ quan tổ chức trên biên bản",
        "Họp trực tuyến",
        "Số điểm cầu",
        "Đơn vị có điểm cầu",
        "Văn bản được sơ kết",
        "Kỳ đánh giá từ ngày",
        "Kỳ đánh giá đến ngày",
        "Tóm tắt nội dung",
    ]
    rows = []
    for m in MEETINGS:
        rows.append(
            [
                m["code"],
                m["title"],
                m["kind"],
                m["day"],
                m["hour"],
                m["place"],
                m["organiser"],
                m.get("organiser_name", ""),
                "Có" if m["online"] else "Không",
                m["bridge_points"],
                "; ".join(m["bridge_units"]),
                "; ".join(m["decisions"]),
                m["period"][0],
                m["period"][1],
                m["summary"],
            ]
        )
    return header, rows


def participant_rows():
    header = [
        "Mã hội nghị",
        "STT",
        "Họ và tên",
        "Ghi chú phân biệt người trùng tên",
        "Chức vụ khi dự họp",
        "Cơ quan, đơn vị (như biên bản)",
        "Cơ quan trong danh mục",
        "Vai trò",
    ]
    rows = []
    for m in MEETINGS:
        for number, (name, post, as_written, catalogue, role) in enumerate(m["participants"], start=1):
            rows.append([m["code"], number, name, "", post, as_written, catalogue, role])
    return header, rows


def speech_rows():
    header = [
        "Mã hội nghị",
        "Thứ tự phát biểu",
        "Hình thức",
        "Người trình bày",
        "Chủ đề",
        "Tóm tắt ý kiến",
        "Tiêu chí được nêu",
    ]
    rows = []
    for m in MEETINGS:
        for number, (kind, speaker, topic, summary, criteria) in enumerate(m["speeches"], start=1):
            rows.append([m["code"], number, kind, speaker, topic, summary, criteria])
    return header, rows


def conclusion_rows():
    header = ["Mã hội nghị", "STT kết luận", "Nội dung kết luận"]
    rows = []
    for m in MEETINGS:
        for number, text in enumerate(m["conclusions"], start=1):
            rows.append([m["code"], number, text])
    return header, rows


def task_rows():
    header = [
        "Mã hội nghị",
        "STT nhiệm vụ",
        "Nội dung nhiệm vụ",
        "Theo kết luận số",
        "Đơn vị thực hiện",
        "Xã liên quan",
        "Tiêu chí liên quan",
        "Hạn hoàn thành",
        "Tình trạng",
        "Ngày hoàn thành",
        "Kết quả thực hiện",
    ]
    rows = []
    for m in MEETINGS:
        for number, task in enumerate(m["tasks"], start=1):
            conclusion, text, owner, communes, criteria, due, status, done, result = task
            rows.append(
                [m["code"], number, text, conclusion, owner, "; ".join(communes), criteria, due, status, done, result]
            )
    return header, rows


# (file name, sheet title, template title, rows) in load order. 50 and 51 use the sponsorship
# templates; 52–56 are the sheets of the minutes workbook, one file each.
BOOKS = [
    ("50_organisations.xlsx", "Cơ quan, đơn vị", "DANH MỤC CƠ QUAN, ĐƠN VỊ (HỘI NGHỊ)", organisation_rows),
    ("51_decisions.xlsx", "Văn bản", "VĂN BẢN ĐƯỢC HỘI NGHỊ SƠ KẾT", decision_rows),
    ("52_meetings.xlsx", "Hội nghị", "HỘI NGHỊ, CUỘC HỌP", meeting_rows),
    ("53_meeting-participants.xlsx", "Thành phần", "THÀNH PHẦN DỰ HỌP", participant_rows),
    ("54_meeting-speeches.xlsx", "Phát biểu", "DIỄN BIẾN HỘI NGHỊ", speech_rows),
    ("55_meeting-conclusions.xlsx", "Kết luận", "KẾT LUẬN HỘI NGHỊ", conclusion_rows),
    ("56_meeting-tasks.xlsx", "Nhiệm vụ", "NHIỆM VỤ SAU HỘI NGHỊ", task_rows),
]
MINUTES_BOOKS = BOOKS[2:]


def _fill(ws, title, header, rows):
    from openpyxl.styles import Font

    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(header)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "dd/mm/yyyy"
    for column, name in zip(ws.iter_cols(min_row=3, max_row=3), header, strict=True):
        ws.column_dimensions[column[0].column_letter].width = min(60, max(12, len(name) + 2))


def _deterministic(data: bytes) -> bytes:
    """The same bytes for the same content: fixed zip timestamps and document dates."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in sorted(source.namelist()):
            content = source.read(name)
            if name == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-01-01T00:00:00Z", content)
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    return out.getvalue()


def workbook_bytes(books) -> bytes:
    """One workbook holding a sheet per (file, sheet title, template title, rows) entry."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for _file, sheet, title, rows in books:
        header, data = rows()
        _fill(wb.create_sheet(sheet), title, header, data)
    buffer = io.BytesIO()
    wb.save(buffer)
    return _deterministic(buffer.getvalue())


def minutes_workbook() -> bytes:
    """The six meetings as one minutes workbook (the clerk's multi-sheet template), for tests."""
    return workbook_bytes(MINUTES_BOOKS)


def build(directory: Path = DATA_DIR) -> dict[str, bytes]:
    return {name: workbook_bytes([(name, sheet, title, rows)]) for name, sheet, title, rows in BOOKS}


def main(argv: list[str]) -> int:
    built = build()
    if "--check" in argv:
        stale = [
            name
            for name, data in built.items()
            if not (DATA_DIR / name).exists() or (DATA_DIR / name).read_bytes() != data
        ]
        if stale:
            print("Out of date: " + ", ".join(stale) + " (run seeds/build_meetings_demo.py)")
            return 1
        print("The meetings demo workbooks are up to date.")
        return 0
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    for name, data in built.items():
        (DATA_DIR / name).write_bytes(data)
        print(f"wrote seeds/data/{name}")
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main(sys.argv[1:]))
