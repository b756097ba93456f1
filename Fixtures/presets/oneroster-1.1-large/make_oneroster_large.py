#!/usr/bin/env python3
"""Writes a large OneRoster 1.1 export and the sis-sync directory to plan it
against, for the oneroster-1.1 mapping preset (see Fixtures/presets/README.md).

    python3 make_oneroster_large.py OUTDIR      (default: this script's folder)

Files written into OUTDIR, UTF-8, LF line ends, no BOM:

  users.csv            OneRoster 1.1 users (4,000 data rows)
  orgs.csv             OneRoster 1.1 orgs (1 district, 8 schools)
  organizations.csv    sis-sync directory: external_id,name,kind
                       (external_id is the OneRoster org sourcedId)
  accounts.csv         sis-sync directory: the ten sis-sync columns
  expected.json        what the generator knows about the rows: counts per
                       role, deliberate errors, and the plan outcomes

Deterministic: a fixed seed and no use of the clock, the environment or set
ordering, so every run writes the same bytes. Python 3 standard library only.

The mapping the expectations assume (the oneroster-1.1 preset):
  custom_id                  <- sourcedId
  school_district_external_id<- the FIRST org of orgSourcedIds
  user_type                  <- role: student/teacher/administrator ->
                                Student/Teacher/Administrator; aide, guardian,
                                parent, relative, proctor -> row skipped
  grade (students only)      <- FIRST code of grades: IT, PR, PK, PS -> PreK;
                                KG -> K; 01..12 -> 1..12; 13 -> Other;
                                UG -> Unspecified; Other -> Other;
                                empty -> Unspecified
  status                     <- Disabled when status is tobedeleted or
                                enabledUser is false (case-insensitive),
                                else Active
  position                   <- empty
  first/middle/last name, email <- givenName/middleName/familyName/email as is
(This file uses no TK and no PS code, so the untranslated TK and the disputed
PS -> PreK rule do not affect the counts.)

Plan outcomes (sis-sync, SPEC section 5): no account + Active -> create;
account + a field differs -> update (Active->Disabled is a disable,
Disabled->Active a reactivate); all ten fields equal -> unchanged; no account
+ Disabled -> skipped (nothing to do); a row with a validation error
(bad email, or a custom_id shared by several rows: every row sharing it) is
not planned.
"""

import csv
import json
import os
import random
import sys
import unicodedata

SEED = 20250901
N_ROWS = 4000

DISTRICT = ("lv-d00", "Lakeview Valley Unified School District", "district")
SCHOOLS = [  # sourcedId, name, level
    ("lv-e01", "Aspen Grove Elementary School", "E"),
    ("lv-e02", "Birch Hollow Elementary School", "E"),
    ("lv-e03", "Cedar Point Elementary School", "E"),
    ("lv-e04", "Dogwood Elementary School", "E"),
    ("lv-m05", "Eastlake Middle School", "M"),
    ("lv-m06", "Foxridge Middle School", "M"),
    ("lv-h07", "Lakeview Valley High School", "H"),
    ("lv-h08", "Northshore High School", "H"),
]
STUDENTS_PER_LEVEL = {"E": 520, "M": 378, "H": 374}  # 4*520 + 2*378 + 2*374 = 3584
TEACHERS_PER_SCHOOL = 30  # 240
ADMINS_DISTRICT = 8
ADMINS_PER_SCHOOL = 4  # 8 + 32 = 40
SKIPPED_ROLES = [("guardian", 50), ("parent", 40), ("aide", 16), ("relative", 10), ("proctor", 4)]
BAD_EMAILS = 24
DUPLICATE_IDS = 16
LEAVERS = 12  # directory accounts that are not in the export

STUDENT_DOMAIN = "stu.lakeview.example"
STAFF_DOMAIN = "lakeview.example"
PERSONAL_DOMAINS = ["example.com", "example.net", "example.org"]
TIMESTAMPS = [
    "2025-08-18T06:10:00.000Z",
    "2025-08-25T06:10:00.000Z",
    "2025-09-01T06:10:00.000Z",
    "2025-09-08T06:10:00.000Z",
]

# (display, ascii for the email). Latin names with and without diacritics.
GIVEN = [
    ("Sofía", "sofia"), ("Mateo", "mateo"), ("Lucía", "lucia"), ("José", "jose"),
    ("María", "maria"), ("Zoë", "zoe"), ("Chloé", "chloe"), ("Renée", "renee"),
    ("André", "andre"), ("Björn", "bjorn"), ("Søren", "soren"), ("Łukasz", "lukasz"),
    ("Agnieszka", "agnieszka"), ("Ömer", "omer"), ("Ayşe", "ayse"), ("Jürgen", "jurgen"),
    ("Siobhán", "siobhan"), ("Seán", "sean"), ("Noémie", "noemie"), ("François", "francois"),
    ("Inês", "ines"), ("João", "joao"), ("Hélène", "helene"), ("Tomáš", "tomas"),
    ("Emma", "emma"), ("Liam", "liam"), ("Olivia", "olivia"), ("Noah", "noah"),
    ("Ava", "ava"), ("Elijah", "elijah"), ("Amelia", "amelia"), ("James", "james"),
    ("Harper", "harper"), ("Benjamin", "benjamin"), ("Evelyn", "evelyn"), ("Lucas", "lucas"),
    ("Mia", "mia"), ("Henry", "henry"), ("Aaliyah", "aaliyah"), ("Jayden", "jayden"),
    ("Priya", "priya"), ("Arjun", "arjun"), ("Fatima", "fatima"), ("Omar", "omar"),
    ("Kwame", "kwame"), ("Amara", "amara"), ("Chidi", "chidi"), ("Yusuf", "yusuf"),
    ("Isabella", "isabella"), ("Daniel", "daniel"), ("Grace", "grace"), ("Samuel", "samuel"),
    ("Nora", "nora"), ("Leo", "leo"), ("Hannah", "hannah"), ("Ethan", "ethan"),
    ("Layla", "layla"), ("Caleb", "caleb"), ("Stella", "stella"), ("Owen", "owen"),
]
FAMILY = [
    ("García", "garcia"), ("Hernández", "hernandez"), ("Müller", "muller"), ("Schäfer", "schafer"),
    ("Nowak", "nowak"), ("Kowalski", "kowalski"), ("Yılmaz", "yilmaz"), ("Öztürk", "ozturk"),
    ("O'Brien", "obrien"), ("Smith-Jones", "smithjones"), ("MacDonald", "macdonald"),
    ("Dubois", "dubois"), ("Lefèvre", "lefevre"), ("Gonçalves", "goncalves"), ("Sørensen", "sorensen"),
    ("Åberg", "aberg"), ("Novák", "novak"), ("Dvořák", "dvorak"), ("Papadopoulos", "papadopoulos"),
    ("Okafor", "okafor"), ("Mensah", "mensah"), ("Patel", "patel"), ("Singh", "singh"),
    ("Khan", "khan"), ("Cohen", "cohen"), ("Rossi", "rossi"), ("Bianchi", "bianchi"),
    ("Johnson", "johnson"), ("Williams", "williams"), ("Brown", "brown"), ("Davis", "davis"),
    ("Miller", "miller"), ("Wilson", "wilson"), ("Anderson", "anderson"), ("Taylor", "taylor"),
    ("Thomas", "thomas"), ("Moore", "moore"), ("Martin", "martin"), ("Jackson", "jackson"),
    ("Thompson", "thompson"), ("White", "white"), ("Harris", "harris"), ("Clark", "clark"),
    ("Lewis", "lewis"), ("Walker", "walker"), ("Young", "young"), ("King", "king"),
    ("Wright", "wright"), ("Scott", "scott"), ("Green", "green"), ("Baker", "baker"),
    ("Adams", "adams"), ("Nelson", "nelson"), ("Hill", "hill"), ("Campbell", "campbell"),
    ("Mitchell", "mitchell"), ("Roberts", "roberts"), ("Carter", "carter"), ("Evans", "evans"),
    ("Turner", "turner"), ("Torres", "torres"), ("Parker", "parker"), ("Collins", "collins"),
    ("Flores", "flores"), ("Murphy", "murphy"), ("Cook", "cook"), ("Morgan", "morgan"),
    ("Gómez", "gomez"), ("Díaz", "diaz"), ("Reyes", "reyes"), ("Cruz", "cruz"),
    ("Ortiz", "ortiz"), ("Gutiérrez", "gutierrez"), ("Álvarez", "alvarez"), ("Jiménez", "jimenez"),
    ("Vásquez", "vasquez"), ("Fernández", "fernandez"), ("Castillo", "castillo"), ("Mendoza", "mendoza"),
    ("Schmidt", "schmidt"), ("Hoffmann", "hoffmann"), ("Meyer", "meyer"), ("Wagner", "wagner"),
    ("Kuznetsov", "kuznetsov"), ("Ivanova", "ivanova"), ("Haddad", "haddad"), ("Nasser", "nasser"),
]
MIDDLE = ["Marie", "James", "Ann", "Lee", "Rose", "Alexander", "Grace", "José", "Elena", "Kai"]
# Chinese names (given and family combined freely), and fixed Japanese and
# Korean pairs: (display, ascii for the email)
CJK_GIVEN = [("伟", "wei"), ("芳", "fang"), ("静", "jing"), ("磊", "lei"), ("洋", "yang"),
             ("敏", "min"), ("翔", "xiang"), ("欣怡", "xinyi"), ("子轩", "zixuan"), ("梓涵", "zihan"),
             ("浩然", "haoran"), ("雨桐", "yutong")]
CJK_FAMILY = [("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"),
              ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou")]
JA_KO = [("健太", "佐藤", "kenta", "sato"), ("陽菜", "鈴木", "hina", "suzuki"), ("蓮", "高橋", "ren", "takahashi"),
         ("結衣", "田中", "yui", "tanaka"), ("서연", "김", "seoyeon", "kim"), ("민준", "이", "minjun", "lee"),
         ("지우", "박", "jiwoo", "park"), ("하은", "최", "haeun", "choi")]
VIET_GIVEN = [("Minh Anh", "minhanh"), ("Bảo Ngọc", "baongoc"), ("Đức Huy", "duchuy"),
              ("Thu Hà", "thuha"), ("Quốc Bảo", "quocbao"), ("Gia Hân", "giahan"), ("Tuấn Kiệt", "tuankiet")]
VIET_FAMILY = [("Nguyễn", "nguyen"), ("Trần", "tran"), ("Lê", "le"), ("Phạm", "pham"),
               ("Hoàng", "hoang"), ("Vũ", "vu"), ("Đặng", "dang"), ("Bùi", "bui")]
VIET_MIDDLE = ["Thị", "Văn", ""]

FAMILY_POOLS = [[f for f, _ in FAMILY], [f for f, _ in CJK_FAMILY], [f for _, f, _, _ in JA_KO],
                [f for f, _ in VIET_FAMILY]]

USERS_HEADER = ("sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
                "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,"
                "password").split(",")
ORGS_HEADER = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId".split(",")
ACCOUNTS_HEADER = ("first_name,middle_name,last_name,email,custom_id,school_district_external_id,"
                   "user_type,position,grade,status").split(",")

CEDS = {"IT": "PreK", "PR": "PreK", "PK": "PreK", "PS": "PreK", "KG": "K", "13": "Other",
        "UG": "Unspecified", "Other": "Other", "": "Unspecified"}
CEDS.update({"%02d" % n: str(n) for n in range(1, 13)})
USER_TYPE = {"student": "Student", "teacher": "Teacher", "administrator": "Administrator"}
PREVIOUS_GRADE = {"PreK": "Unspecified", "K": "PreK", "1": "K", "Other": "12", "Unspecified": "Other"}
PREVIOUS_GRADE.update({str(n): str(n - 1) for n in range(2, 13)})


def mapped(row):
    """The ten sis-sync values of a OneRoster row, as the preset maps them."""
    user_type = USER_TYPE[row["role"]]
    first_grade = row["grades"].split(",")[0].strip()
    grade = CEDS[first_grade] if user_type == "Student" else ""
    disabled = row["status"].lower() == "tobedeleted" or row["enabledUser"].lower() == "false"
    return {
        "first_name": row["givenName"], "middle_name": row["middleName"], "last_name": row["familyName"],
        "email": row["email"], "custom_id": row["sourcedId"],
        "school_district_external_id": row["orgSourcedIds"].split(",")[0].strip(),
        "user_type": user_type, "position": "", "grade": grade,
        "status": "Disabled" if disabled else "Active",
    }


class Names:
    """Hands out realistic names with unique ASCII email local parts."""

    def __init__(self, rng):
        self.rng = rng
        self.used = {}

    def person(self):
        r = self.rng.random()
        if r < 0.04:
            given, g_ascii = self.rng.choice(CJK_GIVEN)
            family, f_ascii = self.rng.choice(CJK_FAMILY)
            middle = ""
        elif r < 0.06:
            given, family, g_ascii, f_ascii = self.rng.choice(JA_KO)
            middle = ""
        elif r < 0.12:
            given, g_ascii = self.rng.choice(VIET_GIVEN)
            family, f_ascii = self.rng.choice(VIET_FAMILY)
            middle = self.rng.choice(VIET_MIDDLE)
        else:
            given, g_ascii = self.rng.choice(GIVEN)
            family, f_ascii = self.rng.choice(FAMILY)
            middle = self.rng.choice(MIDDLE) if self.rng.random() < 0.25 else ""
        return given, middle, family, self.local_part(g_ascii, f_ascii)

    def local_part(self, g_ascii, f_ascii):
        base = "%s.%s" % (g_ascii, f_ascii)
        count = self.used.get(base, 0) + 1
        self.used[base] = count
        return base if count == 1 else "%s%d" % (base, count)


def blank_row():
    return {key: "" for key in USERS_HEADER}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)
    names = Names(rng)

    # ---- people in the export -------------------------------------------
    people = []  # dicts: row (OneRoster values), kind
    serial = {"S": 100000, "T": 20000, "A": 30000, "G": 40000}

    def new_id(prefix):
        serial[prefix] += rng.randint(1, 7)
        return "%s%d" % (prefix, serial[prefix])

    def base_row(prefix, role, orgs, domain):
        given, middle, family, local = names.person()
        row = blank_row()
        row.update({
            "sourcedId": new_id(prefix), "status": "active", "dateLastModified": rng.choice(TIMESTAMPS),
            "enabledUser": "true", "orgSourcedIds": ",".join(orgs), "role": role, "username": local,
            "givenName": given, "familyName": family, "middleName": middle,
            "email": "%s@%s" % (local, domain),
        })
        return row

    def grade_codes(level):
        r = rng.random()
        if level == "E":
            if r < 0.005:
                return "IT"
            if r < 0.015:
                return "PR"
            if r < 0.075:
                return "PK"
            return rng.choice(["KG", "01", "02", "03", "04", "05"])
        if level == "M":
            return rng.choice(["06", "07", "08"])
        if r < 0.02:
            return ""
        if r < 0.03:
            return "UG"
        if r < 0.04:
            return "Other"
        if r < 0.05:
            return "13"
        if r < 0.07:
            return "09,10"
        return rng.choice(["09", "10", "11", "12"])

    same_level = {}
    for sid, _, level in SCHOOLS:
        same_level.setdefault(level, []).append(sid)

    for sid, _, level in SCHOOLS:
        for _ in range(STUDENTS_PER_LEVEL[level]):
            orgs = [sid]
            if rng.random() < 0.02:  # a second school (dual enrolment)
                others = [o for o in same_level[level] if o != sid] or [SCHOOLS[4][0]]
                orgs.append(rng.choice(others))
            row = base_row("S", "student", orgs, STUDENT_DOMAIN)
            row["grades"] = grade_codes(level)
            row["identifier"] = row["sourcedId"][1:]
            people.append({"row": row})
        for _ in range(TEACHERS_PER_SCHOOL):
            orgs = [sid]
            if rng.random() < 0.08:  # teaches at two schools
                orgs.append(rng.choice([s for s, _, _ in SCHOOLS if s != sid]))
            row = base_row("T", "teacher", orgs, STAFF_DOMAIN)
            if level == "E" and rng.random() < 0.5:
                row["grades"] = rng.choice(["KG", "01", "02", "03", "04", "05", "03,04"])
            row["identifier"] = row["sourcedId"]
            people.append({"row": row})
        for _ in range(ADMINS_PER_SCHOOL):
            row = base_row("A", "administrator", [sid], STAFF_DOMAIN)
            row["identifier"] = row["sourcedId"]
            people.append({"row": row})
    for _ in range(ADMINS_DISTRICT):
        row = base_row("A", "administrator", [DISTRICT[0]], STAFF_DOMAIN)
        row["identifier"] = row["sourcedId"]
        people.append({"row": row})

    students = [p for p in people if p["row"]["role"] == "student"]
    for role, count in SKIPPED_ROLES:
        for _ in range(count):
            if role in ("aide", "proctor"):
                org = rng.choice(SCHOOLS)[0]
                row = base_row("G", role, [org], STAFF_DOMAIN)
            else:
                child = rng.choice(students)["row"]
                row = base_row("G", role, [child["orgSourcedIds"].split(",")[0]],
                               rng.choice(PERSONAL_DOMAINS))
                row["agentSourcedIds"] = child["sourcedId"]
                row["phone"] = "555-%04d" % rng.randint(100, 9999)
            people.append({"row": row, "skipped": role})

    # ---- disabled rows (tobedeleted / enabledUser false) and empty status
    mappable = [p for p in people if "skipped" not in p]
    order = list(range(len(mappable)))
    rng.shuffle(order)
    cursor = 0

    def take(n, role=None):
        nonlocal cursor
        picked = []
        while len(picked) < n:
            person = mappable[order[cursor % len(order)]]
            cursor += 1
            if person.get("tag") or (role and person["row"]["role"] != role):
                continue
            picked.append(person)
        return picked

    for i, p in enumerate(take(32, "student")):
        p["row"]["status"] = "TOBEDELETED" if i < 2 else "tobedeleted"
        p["tag"] = "tobedeleted"
    for i, p in enumerate(take(26, "student")):
        p["row"]["enabledUser"] = ["false", "False", "FALSE"][i % 3]
        p["tag"] = "enabledUser_false"
    for p in take(3, "student"):
        p["row"]["status"] = "tobedeleted"
        p["row"]["enabledUser"] = "false"
        p["tag"] = "both"
    for p in take(3, "teacher"):
        p["row"]["status"] = "tobedeleted"
        p["tag"] = "tobedeleted"
    for p in take(3, "teacher"):
        p["row"]["enabledUser"] = "false"
        p["tag"] = "enabledUser_false"
    for p in take(1, "administrator"):
        p["row"]["enabledUser"] = "false"
        p["tag"] = "enabledUser_false"
    for p in take(70):
        p["row"]["status"] = ""
        p["row"]["dateLastModified"] = ""
        p["tag"] = "empty_status"
    for p in take(BAD_EMAILS):
        p["tag"] = "bad_email"
        p["good_email"] = p["row"]["email"]
        local, domain = p["row"]["email"].split("@")
        kind = len([q for q in mappable if q.get("tag") == "bad_email"]) % 4
        p["row"]["email"] = [
            "%s@@%s" % (local, domain),                   # two @ signs
            "%s.%s" % (local, domain),                    # no @ at all
            "%s %s@%s" % tuple(local.split(".", 1) + [domain]),  # a space
            "%s@%s" % (local, domain.split(".")[0]),      # domain without a dot
        ][kind]
    originals = take(DUPLICATE_IDS)
    duplicates = []
    for p in originals:
        p["tag"] = "duplicate_original"
        src = p["row"]
        row = base_row("S" if src["role"] == "student" else src["sourcedId"][0],
                       src["role"], src["orgSourcedIds"].split(","),
                       STUDENT_DOMAIN if src["role"] == "student" else STAFF_DOMAIN)
        row["sourcedId"] = src["sourcedId"]  # the deliberate error
        row["grades"] = src["grades"]
        row["identifier"] = src["identifier"]
        duplicates.append({"row": row, "tag": "duplicate_copy"})

    # ---- row order: by school, then a shuffle inside each school ---------
    def first_org(p):
        return p["row"]["orgSourcedIds"].split(",")[0]

    org_rank = {DISTRICT[0]: 0}
    org_rank.update({sid: i + 1 for i, (sid, _, _) in enumerate(SCHOOLS)})
    people.sort(key=lambda p: (org_rank[first_org(p)], p["row"]["sourcedId"]))
    for dup in duplicates:  # somewhere later in the file than a random point
        people.insert(rng.randint(len(people) // 4, len(people)), dup)
    assert len(people) == N_ROWS, len(people)
    for line, p in enumerate(people, start=2):
        p["line"] = line

    # ---- the directory ---------------------------------------------------
    accounts = []
    plan = {"create": 0, "update": 0, "disable": 0, "reactivate": 0, "unchanged": 0, "skipped": 0,
            "error": 0, "assign_id": 0}
    update_reasons = {"grade": 0, "last_name": 0, "school": 0}
    error_ids = {p["row"]["sourcedId"] for p in people if p.get("tag") in ("duplicate_original", "duplicate_copy")}
    outcome_by_line = {}
    for p in people:
        if "skipped" in p:
            continue
        row = p["row"]
        after = mapped(row)
        present = rng.random() < 0.85
        tag = p.get("tag", "")
        if tag == "duplicate_copy":
            present = False  # the second person has no account of their own
        if tag in ("bad_email", "duplicate_original", "duplicate_copy") or row["sourcedId"] in error_ids:
            plan["error"] += 1
            outcome_by_line[p["line"]] = "error"
            if present:
                account = dict(after)
                if tag == "bad_email":
                    account["email"] = p["good_email"]
                accounts.append(account)
            continue
        if not present:
            outcome = "create" if after["status"] == "Active" else "skipped"
        else:
            account = dict(after)
            r = rng.random()
            if after["status"] == "Disabled":
                if r < 0.8:
                    account["status"] = "Active"
                    outcome = "disable"
                else:
                    outcome = "unchanged"
            elif r < 0.006:
                account["status"] = "Disabled"
                outcome = "reactivate"
            elif r < 0.071 and after["user_type"] == "Student":
                account["grade"] = PREVIOUS_GRADE[after["grade"]]
                outcome = "update"
                update_reasons["grade"] += 1
            elif r < 0.086:
                old = after["last_name"]  # the name before a change: same naming tradition
                pool = next((p for p in FAMILY_POOLS if old in p), FAMILY_POOLS[0])
                while account["last_name"] == old:
                    account["last_name"] = rng.choice(pool)
                outcome = "update"
                update_reasons["last_name"] += 1
            elif r < 0.096:
                other_schools = [s for s, _, _ in SCHOOLS if s != after["school_district_external_id"]]
                account["school_district_external_id"] = rng.choice(other_schools)
                outcome = "update"
                update_reasons["school"] += 1
            else:
                outcome = "unchanged"
            accounts.append(account)
        plan[outcome] += 1
        outcome_by_line[p["line"]] = outcome
    in_export = len(accounts)
    for _ in range(LEAVERS):
        given, middle, family, local = names.person()
        school = rng.choice(SCHOOLS)
        accounts.append({
            "first_name": given, "middle_name": middle, "last_name": family,
            "email": "%s@%s" % (local, STUDENT_DOMAIN), "custom_id": new_id("S"),
            "school_district_external_id": school[0], "user_type": "Student", "position": "",
            "grade": {"E": "5", "M": "8", "H": "12"}[school[2]], "status": "Active",
        })
    rng.shuffle(accounts)

    # ---- write -----------------------------------------------------------
    def write_csv(name, header, rows):
        with open(os.path.join(out, name), "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow([row[key] for key in header])

    orgs = [dict(zip(ORGS_HEADER, [DISTRICT[0], "active", TIMESTAMPS[0], DISTRICT[1], "district", "0699001", ""]))]
    for i, (sid, name, _) in enumerate(SCHOOLS):
        orgs.append(dict(zip(ORGS_HEADER, [sid, "active", TIMESTAMPS[0], name, "school",
                                           "06990010%04d" % (i + 1), DISTRICT[0]])))
    write_csv("users.csv", USERS_HEADER, [p["row"] for p in people])
    write_csv("orgs.csv", ORGS_HEADER, orgs)
    write_csv("organizations.csv", ["external_id", "name", "kind"],
              [{"external_id": o["sourcedId"], "name": o["name"], "kind": o["type"]} for o in orgs])
    write_csv("accounts.csv", ACCOUNTS_HEADER, accounts)

    # ---- expectations ----------------------------------------------------
    valid = [p for p in people if "skipped" not in p and outcome_by_line[p["line"]] != "error"]
    by_type = {}
    for p in valid:
        t = USER_TYPE[p["row"]["role"]]
        by_type[t] = by_type.get(t, 0) + 1
    disabled = {"tobedeleted": 0, "enabledUser_false": 0, "both": 0}
    for p in valid:
        if p.get("tag") in disabled:
            disabled[p["tag"]] += 1
    grades = {}
    for p in valid:
        if p["row"]["role"] == "student":
            code = p["row"]["grades"].split(",")[0]
            grades[code or "(empty)"] = grades.get(code or "(empty)", 0) + 1
    skipped_by_role = {role: count for role, count in sorted(SKIPPED_ROLES)}
    expected = {
        "generator": "make_oneroster_large.py",
        "seed": SEED,
        "rows": len(people),
        "orgs": {"district": 1, "school": len(SCHOOLS)},
        "skipped_by_role": skipped_by_role,
        "skipped_total": sum(skipped_by_role.values()),
        "rows_mapped": len(people) - sum(skipped_by_role.values()),
        "deliberate_errors": {"bad_email": BAD_EMAILS, "duplicate_sourcedId": DUPLICATE_IDS},
        "rows_with_errors": plan["error"],
        "rows_with_errors_note": ("every row whose custom_id is shared is an error (E030), so the 16 "
                                  "duplicated sourcedIds reject 32 rows; plus 24 invalid emails (E021)"),
        "error_lines": {
            "bad_email": [p["line"] for p in people if p.get("tag") == "bad_email"],
            "duplicate_sourcedId": [
                sorted(q["line"] for q in people if q["row"]["sourcedId"] == d["row"]["sourcedId"])
                for d in duplicates],
        },
        "valid_rows": len(valid),
        "valid_rows_by_user_type": dict(sorted(by_type.items())),
        "valid_disabled_rows": dict(disabled, total=sum(disabled.values())),
        "multi_org_rows": sum(1 for p in people if "," in p["row"]["orgSourcedIds"]),
        "student_grade_list_rows": sum(1 for p in people
                                       if p["row"]["role"] == "student" and "," in p["row"]["grades"]),
        "empty_status_rows": sum(1 for p in people if p.get("tag") == "empty_status"),
        "valid_student_first_grade_codes": dict(sorted(grades.items())),
        "plan": plan,
        "plan_note": ("create+update+disable+reactivate+unchanged+skipped = valid_rows; skipped = "
                      "Disabled rows without an account; error = rows_with_errors"),
        "update_reasons": update_reasons,
        "with_disable_missing": {
            "disable": plan["disable"] + LEAVERS,
            "note": "--disable-missing also disables the accounts_not_in_export (all Active, all in schools the export covers)",
        },
        "directory": {
            "organizations": len(orgs),
            "accounts": len(accounts),
            "accounts_matching_export_rows": in_export,
            "accounts_not_in_export": LEAVERS,
        },
    }
    assert sum(plan[k] for k in ("create", "update", "disable", "reactivate", "unchanged", "skipped")) == len(valid)
    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(expected, f, ensure_ascii=False, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
