"""Partition tables of the GS1 EPC schemes (TDS §14.5, one table per scheme family).

The 3-bit partition value P says how the bits after it split between the GS1 Company Prefix
(6 to 12 digits) and the next component. ``P = 12 - len(company prefix)`` in every table, and
partition 7 is never valid.

Each row gives (company prefix bits, digits, reference bits, digits). What "reference digits"
means depends on the scheme: an exact digit count for zero-padded numeric references (SGTIN item
reference with indicator, SSCC serial reference with extension digit, GLN location reference, …),
a maximum number of characters for alphanumeric ones (GIAI-202, CPI-var) and a maximum number of
digits for integers (CPI-96). For GIAI-96 the integer is bounded by its bit width only.
The tables were checked against GS1 Tag Data Translation 2.2 for SGTIN, SSCC, SGLN and GRAI
(``tests/gs1/epc/test_tables.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CPI_96",
    "CPI_VAR",
    "GIAI_96",
    "GIAI_202",
    "GRAI",
    "SGLN",
    "SGTIN",
    "SSCC",
    "PartitionRow",
    "PartitionTable",
]


@dataclass(frozen=True, slots=True)
class PartitionRow:
    partition: int
    company_prefix_bits: int
    company_prefix_digits: int
    reference_bits: int
    reference_digits: int


PartitionTable = tuple[PartitionRow, ...]


def _table(*rows: tuple[int, int, int, int]) -> PartitionTable:
    table = tuple(PartitionRow(p, *row) for p, row in enumerate(rows))
    assert [r.company_prefix_digits for r in table] == list(range(12, 5, -1))
    return table


#: SGTIN-96/198 and ITIP-110/212: indicator digit + item reference, 13 digits with the prefix.
SGTIN = _table((40, 12, 4, 1), (37, 11, 7, 2), (34, 10, 10, 3), (30, 9, 14, 4), (27, 8, 17, 5),
               (24, 7, 20, 6), (20, 6, 24, 7))  # fmt: skip
#: SSCC-96, GSRN-96, GSRNP-96: extension digit + serial reference (17 digits with the prefix).
SSCC = _table((40, 12, 18, 5), (37, 11, 21, 6), (34, 10, 24, 7), (30, 9, 28, 8), (27, 8, 31, 9),
              (24, 7, 34, 10), (20, 6, 38, 11))  # fmt: skip
#: SGLN-96/195, GDTI-96/174, SGCN-96: location reference / document type / coupon reference.
SGLN = _table((40, 12, 1, 0), (37, 11, 4, 1), (34, 10, 7, 2), (30, 9, 11, 3), (27, 8, 14, 4),
              (24, 7, 17, 5), (20, 6, 21, 6))  # fmt: skip
#: GRAI-96/170: asset type (12 digits with the prefix).
GRAI = _table((40, 12, 4, 0), (37, 11, 7, 1), (34, 10, 10, 2), (30, 9, 14, 3), (27, 8, 17, 4),
              (24, 7, 20, 5), (20, 6, 24, 6))  # fmt: skip
#: GIAI-96: individual asset reference as an integer of the remaining 82 bits.
GIAI_96 = _table((40, 12, 42, 13), (37, 11, 45, 14), (34, 10, 48, 15), (30, 9, 52, 16),
                 (27, 8, 55, 17), (24, 7, 58, 18), (20, 6, 62, 19))  # fmt: skip
#: GIAI-202: individual asset reference, 7-bit characters, at most 30 - prefix digits.
GIAI_202 = _table((40, 12, 148, 18), (37, 11, 151, 19), (34, 10, 154, 20), (30, 9, 158, 21),
                  (27, 8, 161, 22), (24, 7, 164, 23), (20, 6, 168, 24))  # fmt: skip
#: CPI-96: component/part reference as an integer of at most 15 - prefix digits.
CPI_96 = _table((40, 12, 11, 3), (37, 11, 14, 4), (34, 10, 17, 5), (30, 9, 21, 6),
                (27, 8, 24, 7), (24, 7, 27, 8), (20, 6, 31, 9))  # fmt: skip
#: CPI-var: component/part reference, 6-bit characters + terminator (bits = maximum width).
CPI_VAR = _table((40, 12, 114, 18), (37, 11, 120, 19), (34, 10, 126, 20), (30, 9, 132, 21),
                 (27, 8, 138, 22), (24, 7, 144, 23), (20, 6, 150, 24))  # fmt: skip
