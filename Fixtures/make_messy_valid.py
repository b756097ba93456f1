#!/usr/bin/env python3
"""Writes Fixtures/exports/messy-valid.csv byte for byte.

A valid export in the shape real SIS and spreadsheet tools produce: UTF-8
byte order mark, CRLF line endings, quoted commas, a quoted line break (LF,
as spreadsheets write it inside a cell), doubled quotes, names in NFC and in
decomposed NFD form, CJK and Hangul names, and values padded with spaces, a
tab and a no-break space (all trimmed by the reader). The last record has no
line ending. It must give no error (it gives no warning either).

Each record is listed with the line it starts on, which FixtureTests checks.
"""

import os

OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exports", "messy-valid.csv")

BOM = b"\xef\xbb\xbf"
CRLF = "\r\n"

HEADER = ("first_name,middle_name,last_name,email,custom_id,"
          "school_district_external_id,user_type,position,grade,status")

NFC_JOSE = "Jos\u00e9"            # é as one scalar
NFD_JOSE = "Jose\u0301"           # e + COMBINING ACUTE ACCENT
NFD_MUNOZ = "Mun\u0303oz"         # n + COMBINING TILDE

RECORDS = [
    # line 2: padding around every kind of value, enums included.
    '  Maria  , ,  Garcia ,  maria.garcia@students.maplevalley.k12.example.org , 300201 ,0042, Student ,, 3 , Active ',
    # line 3: NFC accents.
    f'{NFC_JOSE},Luis,Mart\u00ednez,jose.martinez@students.maplevalley.k12.example.org,300202,0042,Student,,K,Active',
    # line 4: the same names decomposed (NFD): must stay as they are.
    f'{NFD_JOSE},,{NFD_MUNOZ},jose.munoz@students.maplevalley.k12.example.org,300203,0107,Student,,PreK,Active',
    # line 5: a position with a comma and a line break (the record ends on line 6).
    'Linh,,Tran,ltran@maplevalley.k12.example.org,E20301,HS-01,Teacher,"Teacher, Math\nDepartment Chair",,Active',
    # line 7: doubled quotes in a position and in a name.
    '"Robert ""Bobby""",,Okafor,rokafor@maplevalley.k12.example.org,E20302,HS-01,Teacher,"Teacher, ""Lead"" ELA",,Active',
    # line 8: Chinese name, quoted apostrophe name in the middle.
    '\u5c0f\u660e,"O\'Connor",\u6b27\u9633,xiaoming.ouyang@students.maplevalley.k12.example.org,300204,0311,Student,,7,Active',
    # line 9: Hangul.
    '\uc9c0\ubbfc,,\ubc15,jimin.park@students.maplevalley.k12.example.org,300205,0311,Student,,8,Active',
    # line 10: quoted values padded inside the quotes; empty quoted middle name.
    '"  Ngoc  ","","  Nguy\u1ec5n  ",ngoc.nguyen@students.maplevalley.k12.example.org,"300206",HS-02,"Student",,"12","Disabled"',
    # line 11: a tab before the ID and a no-break space after the first name.
    'Lan\u00a0,,Pham,lan.pham@students.maplevalley.k12.example.org,\t300207,HS-02,Student,,11,Active',
    # line 12: an administrator whose position names the school (comma, quoted).
    'Ana,Sof\u00eda,L\u00f3pez-Reyes,alopezreyes@maplevalley.k12.example.org,E20303,0042,Administrator,"Principal, Lincoln Elementary",,Active',
    # line 13: district staff, Cyrillic name; empty optional fields.
    '\u0410\u043d\u043d\u0430,,\u0418\u0432\u0430\u043d\u043e\u0432\u0430,aivanova@maplevalley.k12.example.org,E20304,DIST-001,Staff,,,Active',
    # line 14: Japanese name, student with no grade (Unspecified); no line ending after it.
    '\u3055\u304f\u3089,,\u4f50\u85e4,sakura.sato@students.maplevalley.k12.example.org,300208,0107,Student,,,Active',
]


def main():
    text = HEADER + CRLF + CRLF.join(RECORDS)  # no CRLF after the last record
    with open(OUTPUT, "wb") as output:
        output.write(BOM + text.encode("utf-8"))


if __name__ == "__main__":
    main()
