#!/usr/bin/env python3
"""Writes the broken exports of Fixtures/exports/bad/, one problem class a
file, byte for byte (several hold bytes an editor would "fix": NUL, CR,
Windows-1252, UTF-16, a missing line ending).

Only the .csv files are written here. The NAME.expected files next to them
are written by hand from the rules in SPEC §3 and the finding catalog (see
Fixtures/README.md); never regenerate them from the engine's output.

    python3 Fixtures/make_bad_fixtures.py            # rewrite bad/*.csv
    python3 Fixtures/make_bad_fixtures.py --huge F   # also write the >1 MiB case to F

The huge-field case (a 1 MiB + 1 KiB position) is not committed: FixtureTests
builds it in a temporary directory; --huge writes the same bytes for trying
it with the command line.
"""

import os
import random
import sys

BAD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exports", "bad")

HEADER = ("first_name,middle_name,last_name,email,custom_id,"
          "school_district_external_id,user_type,position,grade,status")
STAFF = "maplevalley.k12.example.org"
STUDENTS = "students.maplevalley.k12.example.org"


def teacher(first="Ana", last="Lopez", email=None, cid="E20001", building="0042",
            position='"Teacher, Grade 3"', grade="", status="Active", middle="", user_type="Teacher"):
    email = email if email is not None else f"{first[0].lower()}{last.lower()}@{STAFF}"
    return ",".join([first, middle, last, email, cid, building, user_type, position, grade, status])


def student(first="Ben", last="Okafor", email=None, cid="300101", building="0042",
            grade="3", status="Active", middle="", position="", user_type="Student"):
    email = email if email is not None else f"{first.lower()}.{last.lower()}@{STUDENTS}"
    return ",".join([first, middle, last, email, cid, building, user_type, position, grade, status])


def lines(*records, header=HEADER, end="\n"):
    """The header and the records, each ended by `end` (LF unless told)."""
    return "".join(line + end for line in (header,) + records).encode("utf-8")


def huge_field_bytes():
    """A teacher whose position is 1 MiB + 1 KiB long (line 2), then a good row."""
    position = b"x" * ((1 << 20) + 1024)
    return (HEADER.encode() + b"\n"
            + b"Ana,,Lopez,alopez@" + STAFF.encode() + b",E20001,0042,Teacher," + position + b",,Active\n"
            + student().encode() + b"\n")


def fixtures():
    files = {}

    # --- The file as a whole -------------------------------------------
    files["empty"] = b""
    files["header-only"] = lines()
    files["missing-header"] = lines(
        teacher(), student(),
        header=HEADER.replace("first_name", "frist_name"))
    files["duplicate-header"] = lines(
        teacher() + ",alopez@" + STAFF, student() + ",ben.okafor2@" + STUDENTS,
        header=HEADER + ",email")
    files["unknown-header"] = lines(
        teacher() + ",", student() + ",104",
        header=HEADER + ",homeroom")
    files["header-spelling"] = lines(
        teacher(), student(),
        header=HEADER.replace("first_name", "First Name").replace("email", "EMAIL"))
    files["semicolon-separated"] = lines(
        teacher(position="Teacher, Grade 3").replace(",", ";"),
        student().replace(",", ";"),
        header=HEADER.replace(",", ";"))
    files["xlsx-workbook"] = (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00"
                              b"b\xee\x9dh^\x01\x00\x00\x90\x04\x00\x00\x13\x00\x08\x02"
                              b"[Content_Types].xml \xa2\x04\x02(\xa0\x00\x02\x00\x00")
    rng = random.Random(7)
    junk = bytearray(rng.randrange(256) for _ in range(512))
    for index in range(0, len(junk), 5):
        junk[index] = 0
    files["binary-junk"] = bytes(junk)
    files["utf16"] = b"\xff\xfe" + (HEADER + "\r\n" + teacher() + "\r\n").encode("utf-16-le")
    files["header-unterminated-quote"] = lines(
        teacher(user_type="Staff", position="Librarian"), student(),  # no quote to close it
        header='"first_name,middle_name,last_name,email,custom_id,'
               'school_district_external_id,user_type,position,grade,status')

    # --- Syntax of one record ------------------------------------------
    files["nul-in-field"] = lines(
        student(first="Ma\x00ria", last="Garcia", email=f"maria.garcia@{STUDENTS}"),  # 2
        teacher())                                                    # 3
    files["ragged-rows"] = lines(
        teacher(),                                                    # 2: good
        student().rsplit(",", 1)[0],                                  # 3: 9 fields
        teacher(first="Linh", last="Tran", cid="E20002", position="Teacher, Math"),  # 4: 11 fields
        student(first="Chloe", last="Hall", cid="300102"))            # 5: good
    files["unterminated-quote"] = lines(
        teacher(),                                                    # 2: good
        student(last='"Smith', email=f"ben.smith@{STUDENTS}"),         # 3: opens a quote
        student(first="Chloe", last="Hall", cid="300102"),            # 4: swallowed
        student(first="Owen", last="Hall", cid="300103"))             # 5: swallowed
    files["text-after-quote"] = lines(
        student(last='"Smith"Jr', email=f"ben.smith@{STUDENTS}"),      # 2
        teacher())                                                    # 3
    files["stray-quote"] = lines(
        student(last='O"Brien', email=f"ben.obrien@{STUDENTS}"),       # 2
        teacher())
    files["windows-1252"] = (
        HEADER.encode() + b"\n"
        + b"Jos\xe9,,Garcia,jose.garcia@" + STUDENTS.encode() + b",300101,0042,Student,,3,Active\n"
        + b"Lena,,M\xfcller,lena.muller@" + STUDENTS.encode() + b",300102,0042,Student,,4,Active\n"
        + teacher().encode() + b"\n")
    files["blank-lines"] = (
        HEADER.encode() + b"\n"
        + teacher().encode() + b"\n"                                  # 2
        + b"\n"                                                       # 3: blank
        + student().encode() + b"\r\n"                                # 4
        + b"\r\n"                                                     # 5: blank (CRLF)
        + student(first="Chloe", last="Hall", cid="300102").encode() + b"\n"  # 6
        + b"\n")                                                      # 7: blank, at the end
    files["line-break-in-name"] = lines(
        student(first='"Mary\nAnn"', email=f"maryann.okafor@{STUDENTS}"),  # 2-3
        teacher())                                                    # 4
    files["control-character"] = lines(
        student(cid="3001\t01"),                                      # 2: tab in the ID
        student(first="Chloe", last="Hall", cid="300102",
                email=f'"chloe.hall\n@{STUDENTS}"'),                   # 3-4: line break in email
        teacher(),                                                    # 5
        student(first="Dan", last="Wu\u009b2J", cid="300103",
                email=f"dan.wu@{STUDENTS}"))                          # 6: C1 control (CSI)
    # Bidi embeddings, overrides and isolates reorder how a value displays;
    # the direction marks U+200E/U+200F of Hebrew and Arabic names do not.
    files["bidi-control"] = lines(
        student(last="Okafor\u202e", cid="300101",
                email=f"ben.okafor@{STUDENTS}"),                      # 2: right-to-left override
        student(first="\u2067Chloe\u2069", last="Hall", cid="300102",
                email=f"chloe.hall@{STUDENTS}"),                      # 3: isolate
        student(first="\u05e9\u05e8\u05d4\u200f", last="\u05db\u05d4\u05df", cid="300103",
                email=f"sara.cohen@{STUDENTS}"),                      # 4: Hebrew with RLM: fine
        teacher())                                                    # 5

    files["too-many-fields"] = lines(
        teacher(),                                                    # 2: good
        student() + ",x" * 1100)                                      # 3: 1110 fields (limit 1024)
    # Old Mac spreadsheets end lines with a lone CR; a quoted CR inside a
    # value is a line break too, so the records below start on lines 4 and 5.
    files["cr-line-endings"] = lines(
        teacher(last='"Lo\rpez"', email=f"alopez@{STAFF}"),           # 2-3
        student(),                                                    # 4
        student(first="Chloe", last="Hall"),                          # 5: same custom_id as line 4
        end="\r")
    files["blank-line-before-header"] = b"\n" + lines(teacher())     # header on line 2, row on 3

    # --- Values -----------------------------------------------------------
    files["missing-values"] = lines(
        student(first="", email=f"x1@{STUDENTS}", cid="300101"),      # 2
        student(last="   ", email=f"x2@{STUDENTS}", cid="300102"),    # 3: only spaces
        student(email="", cid="300103"),                              # 4
        student(email=f"x4@{STUDENTS}", cid=""),                      # 5
        student(email=f"x5@{STUDENTS}", cid="300105", building=""),   # 6
        student(email=f"x6@{STUDENTS}", cid="300106", user_type="", grade=""),  # 7
        student(email=f"x7@{STUDENTS}", cid="300107", status=""),     # 8
        student(email=f"x8@{STUDENTS}", cid="300108", grade=""))      # 9: optional ones empty: fine
    files["invalid-emails"] = lines(
        student(email="bokafor", cid="300101"),                       # 2: no @
        student(email="bokafor@school", cid="300102"),                # 3: no dot in domain
        student(email=f"b okafor@{STUDENTS}", cid="300103"),          # 4: inner space
        student(email=f"bokafor@@{STUDENTS}", cid="300104"),          # 5: two @
        student(email="bokafor@students..example.org", cid="300105"), # 6: empty label
        student(email=f"jos\u00e9@{STUDENTS}", cid="300106"),         # 7: not ASCII
        student(email=f"b.okafor+lab@{STUDENTS}", cid="300107"))      # 8: valid
    files["invalid-enums"] = lines(
        teacher(user_type="Parent"),                                  # 2
        teacher(cid="E20002", email=f"x2@{STAFF}", status="Inactive"),  # 3
        student(cid="300101", grade="13"),                            # 4
        student(cid="300102", grade="09", email=f"x4@{STUDENTS}"),    # 5
        student(cid="300103", grade="Kindergarten", email=f"x5@{STUDENTS}"),  # 6
        student(cid="300104", grade="14", user_type="Guardian", email=f"x6@{STUDENTS}"))  # 7
    files["case-normalised"] = lines(
        teacher(user_type="teacher"),                                 # 2
        teacher(cid="E20002", email=f"x2@{STAFF}", status="ACTIVE"),  # 3
        student(cid="300101", grade="k", user_type="STUDENT"),        # 4
        student(cid="300102", grade="prek", status="disabled", email=f"x4@{STUDENTS}"))  # 5
    files["duplicate-custom-id"] = lines(
        student(cid="300101"),                                        # 2
        student(first="Chloe", last="Hall", cid="300102"),            # 3
        student(first="Owen", last="Hall", cid="300101"),             # 4
        teacher(cid="300101"))                                        # 5
    files["duplicate-email"] = lines(
        teacher(first="Jane", last="Doe", email=f"jane.doe@{STAFF}", cid="E20001"),   # 2
        teacher(cid="E20002"),                                                        # 3
        teacher(first="Jane", last="Doe", email=f"Jane.Doe@{STAFF.upper()}", cid="E20003"))  # 4
    long_cjk = "\u738b" * 128
    files["values-too-long"] = lines(
        student(first="A" * 129, email=f"x1@{STUDENTS}", cid="300101"),          # 2
        student(last=long_cjk, email=f"x2@{STUDENTS}", cid="300102"),            # 3: 128 scalars: fine
        student(last=long_cjk + "\u738b", email=f"x3@{STUDENTS}", cid="300103"), # 4: 129 scalars
        student(email="a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + ".org",
                cid="300104"),                                                   # 5: 260 characters
        student(email=f"x5@{STUDENTS}", cid="9" * 65),                           # 6
        teacher(position="P" * 256))                                             # 7
    files["spreadsheet-mangled-id"] = lines(
        student(cid="1.23457E+11"),                                   # 2
        student(first="Chloe", last="Hall", cid="300102.0"),          # 3
        teacher(cid="E20001"))                                        # 4: fine
    files["ignored-values"] = lines(
        teacher(grade="5"),                                           # 2: grade for a teacher
        student(),                                                    # 3
        teacher(first="Linh", last="Tran", cid="E20002", user_type="Staff",
                position="Librarian", grade="K"),                     # 4: grade for staff
        student(first="Chloe", last="Hall", cid="300102", position="Class President"))  # 5
    return files


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--huge":
        with open(sys.argv[2], "wb") as output:
            output.write(huge_field_bytes())
        return
    if len(sys.argv) != 1:
        sys.exit(__doc__)
    os.makedirs(BAD, exist_ok=True)
    for name, data in fixtures().items():
        with open(os.path.join(BAD, name + ".csv"), "wb") as output:
            output.write(data)


if __name__ == "__main__":
    main()
