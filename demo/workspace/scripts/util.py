def chunks(items, size):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def flatten(nested):
    return [x for part in nested for x in part]
