#!/usr/bin/env python3
"""Writes the demo: Fixtures/demo/organizations.csv and accounts.csv (a
directory that pairs with the export) and Fixtures/exports/demo-district.csv
(the export, with a few realistic mistakes). Together they show every outcome
of a plan. Deterministic: derived from clean-district.csv by fixed rules.

    python3 Fixtures/make_demo.py
"""
import csv
import io
import os

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = ["first_name", "middle_name", "last_name", "email", "custom_id",
          "school_district_external_id", "user_type", "position", "grade", "status"]


def write(path, rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(out.getvalue())


def main():
    with open(os.path.join(HERE, "exports", "clean-district.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, data = rows[0], [list(r) for r in rows[1:]]
    assert header == HEADER
    ix = {name: i for i, name in enumerate(HEADER)}
    students = [r for r in data if r[ix["user_type"]] == "Student" and r[ix["status"]] == "Active"]
    staff = [r for r in data if r[ix["user_type"]] != "Student" and r[ix["status"]] == "Active"]
    disabled = [r for r in data if r[ix["status"]] == "Disabled"]

    # Riverside Academy has no external ID in the directory; the export calls it RSA-01.
    academy = students[200:203]
    for r in academy:
        r[ix["school_district_external_id"]] = "RSA-01"

    export = [list(r) for r in data]
    directory = []
    creates = {id(r) for r in students[0:8] + staff[0:2]}           # new people: created
    assign = {id(r) for r in students[10:13]}                        # unmanaged accounts, same email
    renamed = {id(r) for r in students[20:24]}                       # last name changed in the SIS
    promoted = {id(r) for r in students[30:35]}                      # grade changed
    moved = {id(r) for r in students[40:42]}                         # school move
    reactivated = {id(r) for r in students[50:53]}                   # Disabled in the directory
    disable_now = {id(r) for r in disabled[0:5]}                     # Active in the directory
    zeros = {id(r) for r in students[60:61]}                         # ID lost its leading zeros
    for r in data:
        if id(r) in creates:
            continue
        d = list(r)
        if id(r) in academy_ids(academy):
            d[ix["school_district_external_id"]] = "Riverside Academy"
        if id(r) in assign:
            d[ix["custom_id"]] = ""
        if id(r) in renamed:
            d[ix["last_name"]] = d[ix["last_name"]] + "-Old"
        if id(r) in promoted:
            g = d[ix["grade"]]
            d[ix["grade"]] = str(int(g) - 1) if g.isdigit() and int(g) > 1 else "PreK"
        if id(r) in moved:
            d[ix["school_district_external_id"]] = "0107" if d[ix["school_district_external_id"]] != "0107" else "0042"
        if id(r) in reactivated:
            d[ix["status"]] = "Disabled"
        if id(r) in disable_now:
            d[ix["status"]] = "Active"
        if id(r) in zeros:
            d[ix["custom_id"]] = "00" + d[ix["custom_id"]]
        if d[ix["user_type"]] == "Student" and d[ix["grade"]] == "":
            d[ix["grade"]] = "Unspecified"
        if d[ix["user_type"]] != "Student":
            d[ix["grade"]] = ""
        directory.append(d)

    # Accounts only in the directory: leavers (disabled with --disable-missing),
    # an unmanaged teacher the tool never touches, and the owner of an email
    # that a new export row also uses (a conflict).
    directory += [
        ["Harold", "", "Finch", "hfinch@students.maplevalley.k12.example.org", "900001", "0107", "Student", "", "4", "Active"],
        ["Grace", "", "Hendricks", "ghendricks@students.maplevalley.k12.example.org", "900002", "0107", "Student", "", "3", "Active"],
        ["Lionel", "", "Fusco", "lfusco@maplevalley.k12.example.org", "E90003", "HS-01", "Staff", "Custodian", "", "Active"],
        ["Joss", "", "Carter", "jcarter@maplevalley.k12.example.org", "E90004", "HS-02", "Teacher", "Teacher, History", "", "Active"],
        ["Root", "", "Shaw", "rshaw@maplevalley.k12.example.org", "", "0311", "Teacher", "Teacher, Science", "", "Active"],
        ["Sameen", "", "Shaw", "sameen.shaw@maplevalley.k12.example.org", "E90006", "HS-01", "Teacher", "Teacher, PE", "", "Active"],
    ]
    export.append(["Samantha", "", "Groves", "sameen.shaw@maplevalley.k12.example.org", "E90007", "HS-01",
                   "Teacher", "Teacher, Computer Science", "", "Active"])

    # Mistakes in the export, as SIS exports have them.
    s = [r for r in export if r[ix["user_type"]] == "Student" and r[ix["status"]] == "Active"]
    t = [r for r in export if r[ix["user_type"]] == "Teacher"]
    s[100][ix["grade"]] = "KG"
    s[110][ix["email"]] = s[110][ix["email"]].replace("@", "@@")
    s[120][ix["custom_id"]] = s[121][ix["custom_id"]]
    t[5][ix["user_type"]] = "teacher"
    s[130][ix["last_name"]] = ""
    s[140][ix["status"]] = "Inactive"
    s[150][ix["custom_id"]] = "1.23457E+11"

    os.makedirs(os.path.join(HERE, "demo"), exist_ok=True)
    write(os.path.join(HERE, "demo", "organizations.csv"), [
        ["external_id", "name", "kind"],
        ["DIST-001", "Maple Valley Unified School District", "district"],
        ["0042", "Lincoln Elementary", "school"],
        ["0107", "Riverside Elementary", "school"],
        ["0311", "Cedar Ridge Middle", "school"],
        ["HS-01", "Maple Valley High", "school"],
        ["HS-02", "Maple Valley Early College High", "school"],
        ["", "Riverside Academy", "school"],
    ])
    write(os.path.join(HERE, "demo", "accounts.csv"), [HEADER] + directory)
    write(os.path.join(HERE, "exports", "demo-district.csv"), [HEADER] + export)


def academy_ids(academy):
    return {id(r) for r in academy}


if __name__ == "__main__":
    main()
