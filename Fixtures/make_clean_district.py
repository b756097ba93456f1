#!/usr/bin/env python3
"""Writes Fixtures/exports/clean-district.csv: a clean, realistic export of
the fictional Maple Valley Unified School District (see Fixtures/README.md).

Deterministic: the same seed always gives the same bytes, so the file can be
regenerated and compared with `git diff`. Run from anywhere:

    python3 Fixtures/make_clean_district.py

The file must validate with no error and no warning:

    .build-fixtures/debug/sis-sync validate Fixtures/exports/clean-district.csv
"""

import csv
import io
import os
import random
import sys
import unicodedata

SEED = 20240901
OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exports", "clean-district.csv")

HEADER = [
    "first_name", "middle_name", "last_name", "email", "custom_id",
    "school_district_external_id", "user_type", "position", "grade", "status",
]

# Building ID -> (name, grades taught). DIST-001 is the district office.
SCHOOLS = {
    "0042": ("Lincoln Elementary", ["PreK", "K", "1", "2", "3", "4", "5"]),
    "0107": ("Riverside Elementary", ["K", "1", "2", "3", "4", "5"]),
    "0311": ("Cedar Ridge Middle", ["6", "7", "8"]),
    "HS-01": ("Maple Valley High", ["9", "10", "11", "12"]),
    "HS-02": ("Northside Academy", ["9", "10", "11", "12"]),
}
DISTRICT = "DIST-001"

STUDENT_DOMAIN = "students.maplevalley.k12.example.org"
STAFF_DOMAIN = "maplevalley.k12.example.org"

# (given names, family names, romanised given names, romanised family names):
# the romanised forms feed email addresses, which must be ASCII.
def latin(given, family):
    return (given, family, None, None)


NAME_POOLS = {
    "english": latin(
        ["James", "Olivia", "Liam", "Emma", "Noah", "Ava", "Ethan", "Mia", "Lucas", "Harper",
         "Mason", "Ella", "Logan", "Grace", "Owen", "Chloe", "Jack", "Zoe", "Henry", "Lily",
         "Mary-Kate", "Jean-Paul", "Ann-Marie"],
        ["Smith", "Johnson", "Williams", "Brown", "Miller", "Davis", "Wilson", "Anderson",
         "Taylor", "Thomas", "Moore", "Martin", "Clark", "Lewis", "Walker", "Hall",
         "O'Brien", "O'Neill", "D'Angelo", "McAllister", "Smith-Jones", "Baker-Hughes"]),
    "spanish": latin(
        ["José", "María", "Sofía", "Andrés", "Lucía", "Ángel", "Inés", "Raúl", "Valentina",
         "Mateo", "Camila", "Martín", "Renée", "Begoña", "Íñigo"],
        ["García", "Martínez", "Rodríguez", "López", "Hernández", "Pérez", "Sánchez", "Gómez",
         "Díaz", "Muñoz", "Jiménez", "Peña", "Ibáñez", "Castañeda"]),
    "vietnamese": (
        ["Anh", "Bảo", "Dũng", "Hương", "Lan", "Minh", "Ngọc", "Phương", "Quân", "Thảo", "Tuấn"],
        ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi"],
        None, None),
    "chinese": (
        ["伟", "芳", "静", "小明", "丽娜", "子涵", "浩然", "欣怡"],
        ["王", "李", "张", "刘", "陈", "杨", "黄", "欧阳"],
        ["wei", "fang", "jing", "xiaoming", "lina", "zihan", "haoran", "xinyi"],
        ["wang", "li", "zhang", "liu", "chen", "yang", "huang", "ouyang"]),
    "korean": (
        ["민준", "서연", "지호", "하은", "도윤", "수아", "예준"],
        ["김", "이", "박", "최", "정", "강"],
        ["minjun", "seoyeon", "jiho", "haeun", "doyun", "sua", "yejun"],
        ["kim", "lee", "park", "choi", "jung", "kang"]),
    "russian": (
        ["Дмитрий", "Анастасия", "Иван", "Екатерина", "Алексей", "Ольга", "Наталья"],
        ["Иванов", "Смирнова", "Кузнецов", "Попова", "Соколов", "Волкова"],
        ["dmitry", "anastasia", "ivan", "ekaterina", "alexey", "olga", "natalya"],
        ["ivanov", "smirnova", "kuznetsov", "popova", "sokolov", "volkova"]),
    "greek": (
        ["Γιώργος", "Μαρία", "Νίκος", "Ελένη", "Δημήτρης", "Σοφία"],
        ["Παπαδόπουλος", "Οικονόμου", "Γεωργίου", "Νικολάου", "Αντωνίου"],
        ["giorgos", "maria", "nikos", "eleni", "dimitris", "sofia"],
        ["papadopoulos", "oikonomou", "georgiou", "nikolaou", "antoniou"]),
    "arabic": (
        ["محمد", "فاطمة", "أحمد", "مريم", "يوسف", "ليلى", "عمر"],
        ["العلي", "حسن", "الخطيب", "منصور", "الحداد"],
        ["mohammed", "fatima", "ahmed", "maryam", "yousef", "layla", "omar"],
        ["alali", "hassan", "alkhatib", "mansour", "alhaddad"]),
}
# Share of each pool among generated people (weights).
POOL_WEIGHTS = [("english", 40), ("spanish", 22), ("vietnamese", 10), ("chinese", 8),
                ("korean", 6), ("russian", 6), ("greek", 4), ("arabic", 4)]

# Middle names by pool; most people have none.
MIDDLE_NAMES = {
    "english": ["A.", "Lee", "Marie", "James", "Rose", "J.", "Grace"],
    "spanish": ["Elena", "Luis", "del Carmen", "José"],
    "vietnamese": ["Thị", "Văn", "Đức", "Ngọc"],
    "russian": ["Сергеевич", "Ивановна", "Петрович"],
    "greek": ["Κωνσταντίνος"],
    "arabic": ["بن علي"],
}

TEACHER_POSITIONS = {
    "elementary": ["Teacher, Kindergarten", "Teacher, Grade 1", "Teacher, Grade 2",
                   "Teacher, Grade 3", "Teacher, Grade 4", "Teacher, Grade 5",
                   "Teacher, Pre-K", "Music Teacher", "Reading Specialist",
                   "Teacher, Special Education"],
    "secondary": ["Teacher, Math", "Teacher, English", "Teacher, Science",
                  "Teacher, Social Studies", "Teacher, Spanish", "Teacher, Art",
                  "Physical Education Teacher", "Teacher, Chemistry & Physics",
                  "Teacher, Computer Science", "Band Director"],
}
STAFF_POSITIONS = ["Secretary", "Custodian", "Nurse", "Librarian", "Paraprofessional",
                   "Counselor, Grades 9-12", "Cafeteria Manager", "Registrar",
                   "IT Technician", "Bus Driver", "Attendance Clerk"]
SCHOOL_ADMIN_POSITIONS = ["Principal", "Assistant Principal", "Dean of Students"]
DISTRICT_POSITIONS = [
    ("Administrator", "Superintendent"),
    ("Administrator", "Assistant Superintendent, Curriculum & Instruction"),
    ("Administrator", "Director, Technology"),
    ("Administrator", "Director, Special Education"),
    ("Administrator", "Chief Financial Officer"),
    ("Staff", "Payroll Specialist"),
    ("Staff", "Data Analyst, Student Information Systems"),
    ("Staff", "Executive Assistant to the Superintendent"),
    ("Staff", "HR Generalist"),
    ("Staff", "Transportation Coordinator"),
]


def romanise(text):
    """ASCII letters of a Latin-script name, for the email local part."""
    decomposed = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


class People:
    def __init__(self, rng):
        self.rng = rng
        self.emails = set()
        self.student_ids = set()
        self.staff_number = 10230

    def name(self):
        pools, weights = zip(*POOL_WEIGHTS)
        pool_name = self.rng.choices(pools, weights)[0]
        pool = NAME_POOLS[pool_name]
        given_names, family_names, given_roman, family_roman = pool
        g = self.rng.randrange(len(given_names))
        f = self.rng.randrange(len(family_names))
        given, family = given_names[g], family_names[f]
        if given_roman is None:
            g_ascii, f_ascii = romanise(given), romanise(family)
        else:
            g_ascii, f_ascii = given_roman[g], family_roman[f]
        middles = MIDDLE_NAMES.get(pool_name, [])
        middle = self.rng.choice(middles) if middles and self.rng.random() < 0.35 else ""
        return given, middle, family, g_ascii, f_ascii

    def email(self, local, domain):
        candidate, n = local, 1
        while candidate + "@" + domain in self.emails:
            n += 1
            candidate = f"{local}{n}"
        address = candidate + "@" + domain
        self.emails.add(address)
        return address

    def student_id(self):
        while True:
            # Six digits, some with a leading zero (kept: the file is not
            # touched by a spreadsheet).
            value = f"{self.rng.randrange(20000, 400000):06d}"
            if value not in self.student_ids:
                self.student_ids.add(value)
                return value

    def employee_id(self):
        self.staff_number += self.rng.randrange(1, 9)
        return f"E{self.staff_number}"


def make_rows():
    rng = random.Random(SEED)
    people = People(rng)
    rows = []

    def staff_row(user_type, building, position):
        given, middle, family, g, f = people.name()
        email = people.email(f"{g[0]}{f}", STAFF_DOMAIN)
        rows.append([given, middle, family, email, people.employee_id(), building,
                     user_type, position, "", "Active"])

    def student_row(building, grade):
        given, middle, family, g, f = people.name()
        email = people.email(f"{g}.{f}", STUDENT_DOMAIN)
        rows.append([given, middle, family, email, people.student_id(), building,
                     "Student", "", grade, "Active"])

    for user_type, position in DISTRICT_POSITIONS:
        staff_row(user_type, DISTRICT, position)

    # Students per school; about one in twenty-five has no grade in the SIS
    # (an empty grade means Unspecified).
    student_counts = {"0042": 58, "0107": 46, "0311": 48, "HS-01": 56, "HS-02": 30}
    for building, (_, grades) in SCHOOLS.items():
        level = "elementary" if building in ("0042", "0107") else "secondary"
        staff_row("Administrator", building, SCHOOL_ADMIN_POSITIONS[0])
        if building in ("0311", "HS-01"):
            staff_row("Administrator", building, rng.choice(SCHOOL_ADMIN_POSITIONS[1:]))
        for _ in range(5 if level == "elementary" else 6):
            staff_row("Teacher", building, rng.choice(TEACHER_POSITIONS[level]))
        for _ in range(3):
            staff_row("Staff", building, rng.choice(STAFF_POSITIONS))
        for _ in range(student_counts[building]):
            grade = "" if rng.random() < 0.04 else rng.choice(grades)
            student_row(building, grade)

    # A few teachers without a position on record (position is optional).
    for row in rng.sample([r for r in rows if r[6] == "Teacher"], 3):
        row[7] = ""
    # About 3% Disabled: leavers the SIS still lists.
    for row in rng.sample(rows, round(len(rows) * 0.03)):
        row[9] = "Disabled"
    rng.shuffle(rows)
    return rows


def main():
    rows = make_rows()
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(HEADER)
    writer.writerows(rows)
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "wb") as output:
        output.write(buffer.getvalue().encode("utf-8"))
    disabled = sum(1 for row in rows if row[9] == "Disabled")
    print(f"wrote {OUTPUT}: {len(rows)} rows, {disabled} Disabled", file=sys.stderr)


if __name__ == "__main__":
    main()
