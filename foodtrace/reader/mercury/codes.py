"""ThingMagic Mercury opcodes, status codes, regions and tag protocols.

Names follow the Mercury API C source (``serial_reader_imp.h``, ``tmr_status.h``,
``tmr_region.h``; MIT licence), lower-cased and without the ``TMR_SR_OPCODE_`` /
``TMR_ERROR_`` prefixes.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = ["Opcode", "Region", "Status", "TagProtocol", "opcode_name", "status_name"]


class Opcode(IntEnum):
    """Message opcode; replies echo the command's opcode."""

    WRITE_FLASH = 0x01
    READ_FLASH = 0x02
    VERSION = 0x03
    BOOT_FIRMWARE = 0x04
    SET_BAUD_RATE = 0x06
    ERASE_FLASH = 0x07
    VERIFY_IMAGE_CRC = 0x08
    BOOT_BOOTLOADER = 0x09
    MODIFY_FLASH = 0x0A
    GET_DSP_SILICON_ID = 0x0B
    GET_CURRENT_PROGRAM = 0x0C
    WRITE_FLASH_SECTOR = 0x0D
    GET_SECTOR_SIZE = 0x0E
    MODIFY_FLASH_SECTOR = 0x0F
    HW_VERSION = 0x10
    READ_TAG_ID_SINGLE = 0x21
    READ_TAG_ID_MULTIPLE = 0x22
    WRITE_TAG_ID = 0x23
    WRITE_TAG_DATA = 0x24
    LOCK_TAG = 0x25
    KILL_TAG = 0x26
    READ_TAG_DATA = 0x28
    GET_TAG_ID_BUFFER = 0x29
    CLEAR_TAG_ID_BUFFER = 0x2A
    WRITE_TAG_SPECIFIC = 0x2D
    ERASE_BLOCK_TAG_SPECIFIC = 0x2E
    MULTI_PROTOCOL_TAG_OP = 0x2F
    GET_ANTENNA_PORT = 0x61
    GET_READ_TX_POWER = 0x62
    GET_TAG_PROTOCOL = 0x63
    GET_WRITE_TX_POWER = 0x64
    GET_FREQ_HOP_TABLE = 0x65
    GET_USER_GPIO_INPUTS = 0x66
    GET_REGION = 0x67
    GET_POWER_MODE = 0x68
    GET_USER_MODE = 0x69
    GET_READER_OPTIONAL_PARAMS = 0x6A
    GET_PROTOCOL_PARAM = 0x6B
    GET_READER_STATS = 0x6C
    GET_USER_PROFILE = 0x6D
    GET_AVAILABLE_PROTOCOLS = 0x70
    GET_AVAILABLE_REGIONS = 0x71
    GET_TEMPERATURE = 0x72
    SET_ANTENNA_PORT = 0x91
    SET_READ_TX_POWER = 0x92
    SET_TAG_PROTOCOL = 0x93
    SET_WRITE_TX_POWER = 0x94
    SET_FREQ_HOP_TABLE = 0x95
    SET_USER_GPIO_OUTPUTS = 0x96
    SET_REGION = 0x97
    SET_POWER_MODE = 0x98
    SET_USER_MODE = 0x99
    SET_READER_OPTIONAL_PARAMS = 0x9A
    SET_PROTOCOL_PARAM = 0x9B
    SET_USER_PROFILE = 0x9D
    SET_PROTOCOL_LICENSEKEY = 0x9E
    SET_OPERATING_FREQ = 0xC1
    TX_CW_SIGNAL = 0xC3


class Status(IntEnum):
    """The 16-bit status word of a reply (0x0000 = success)."""

    SUCCESS = 0x0000
    MSG_WRONG_NUMBER_OF_DATA = 0x0100
    INVALID_OPCODE = 0x0101
    UNIMPLEMENTED_OPCODE = 0x0102
    MSG_POWER_TOO_HIGH = 0x0103
    MSG_INVALID_FREQ_RECEIVED = 0x0104
    MSG_INVALID_PARAMETER_VALUE = 0x0105
    MSG_POWER_TOO_LOW = 0x0106
    UNIMPLEMENTED_FEATURE = 0x0109
    INVALID_BAUD_RATE = 0x010A
    INVALID_REGION = 0x010B
    INVALID_LICENSE_KEY = 0x010C
    BL_INVALID_IMAGE_CRC = 0x0200
    BL_INVALID_APP_END_ADDR = 0x0201
    FLASH_BAD_ERASE_PASSWORD = 0x0300
    FLASH_BAD_WRITE_PASSWORD = 0x0301
    FLASH_UNDEFINED_SECTOR = 0x0302
    FLASH_ILLEGAL_SECTOR = 0x0303
    FLASH_WRITE_TO_NON_ERASED_AREA = 0x0304
    FLASH_WRITE_TO_ILLEGAL_SECTOR = 0x0305
    FLASH_VERIFY_FAILED = 0x0306
    NO_TAGS_FOUND = 0x0400
    NO_PROTOCOL_DEFINED = 0x0401
    INVALID_PROTOCOL_SPECIFIED = 0x0402
    WRITE_PASSED_LOCK_FAILED = 0x0403
    PROTOCOL_NO_DATA_READ = 0x0404
    AFE_NOT_ON = 0x0405
    PROTOCOL_WRITE_FAILED = 0x0406
    NOT_IMPLEMENTED_FOR_THIS_PROTOCOL = 0x0407
    PROTOCOL_INVALID_WRITE_DATA = 0x0408
    PROTOCOL_INVALID_ADDRESS = 0x0409
    GENERAL_TAG_ERROR = 0x040A
    DATA_TOO_LARGE = 0x040B
    PROTOCOL_INVALID_KILL_PASSWORD = 0x040C
    PROTOCOL_KILL_FAILED = 0x040E
    PROTOCOL_BIT_DECODING_FAILED = 0x040F
    PROTOCOL_INVALID_EPC = 0x0410
    PROTOCOL_INVALID_NUM_DATA = 0x0411
    GEN2_PROTOCOL_OTHER_ERROR = 0x0420
    GEN2_PROTOCOL_MEMORY_OVERRUN_BAD_PC = 0x0423
    GEN2_PROTOCOL_MEMORY_LOCKED = 0x0424
    GEN2_PROTOCOL_INSUFFICIENT_POWER = 0x042B
    GEN2_PROTOCOL_NON_SPECIFIC_ERROR = 0x042F
    GEN2_PROTOCOL_UNKNOWN_ERROR = 0x0430
    AHAL_INVALID_FREQ = 0x0500
    AHAL_CHANNEL_OCCUPIED = 0x0501
    AHAL_TRANSMITTER_ON = 0x0502
    ANTENNA_NOT_CONNECTED = 0x0503
    TEMPERATURE_EXCEED_LIMITS = 0x0504
    HIGH_RETURN_LOSS = 0x0505
    INVALID_ANTENNA_CONFIG = 0x0507
    TAG_ID_BUFFER_NOT_ENOUGH_TAGS_AVAILABLE = 0x0600
    TAG_ID_BUFFER_FULL = 0x0601
    TAG_ID_BUFFER_REPEATED_TAG_ID = 0x0602
    TAG_ID_BUFFER_NUM_TAG_TOO_LARGE = 0x0603
    SYSTEM_UNKNOWN_ERROR = 0x7F00
    TM_ASSERT_FAILED = 0x7F01


class Region(IntEnum):
    """Regulatory region (``SET_REGION`` / ``GET_REGION`` byte)."""

    NONE = 0
    NA = 1
    EU = 2
    KR = 3
    IN = 4
    JP = 5
    PRC = 6
    EU2 = 7
    EU3 = 8
    KR2 = 9
    PRC2 = 10
    AU = 11
    NZ = 12
    NA2 = 13
    NA3 = 14
    IS = 15
    MY = 16
    ID = 17
    PH = 18
    TW = 19
    MO = 20
    RU = 21
    SG = 22
    JP2 = 23
    JP3 = 24
    VN = 25
    TH = 26
    AR = 27
    HK = 28
    BD = 29
    EU4 = 30
    UNIVERSAL = 31
    IS2 = 32
    NA4 = 33
    OPEN_EXTENDED = 0xFE
    OPEN = 0xFF


class TagProtocol(IntEnum):
    """Air protocol of a tag (the PROTOCOL metadata byte; 0x05 = EPC Gen2)."""

    NONE = 0x00
    ISO180006B = 0x03
    GEN2 = 0x05
    ISO180006B_UCODE = 0x06
    IPX64 = 0x07
    IPX256 = 0x08
    ATA = 0x1D


_OPCODES = frozenset(Opcode)
_STATUSES = frozenset(Status)


def opcode_name(opcode: int) -> str | None:
    """Lower-case opcode name (``0x22 -> "read_tag_id_multiple"``), ``None`` if unknown."""
    return Opcode(opcode).name.lower() if opcode in _OPCODES else None


def status_name(status: int) -> str:
    """Lower-case status name (``0x0400 -> "no_tags_found"``), or ``"0x...."`` if unknown."""
    return Status(status).name.lower() if status in _STATUSES else f"0x{status:04X}"
