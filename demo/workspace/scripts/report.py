import csv
import sys


def load(path):
    try:
        with open(path) as f:
            return list(csv.DictReader(f))
    except:
        return []


def total(rows):
    # TODO: use decimal for money
    return sum(float(r["amount"]) for r in rows)


if __name__ == "__main__":
    print(total(load(sys.argv[1])))
