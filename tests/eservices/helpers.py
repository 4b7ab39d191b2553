"""What the e-service tests share: a tiny real PNG and the fields of a certificate form."""

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
APPLICANT_FIELDS = [
    {"id": "applicant_name", "type": "TextLine", "title": "Imię i nazwisko", "required": True},
    {"id": "applicant_email", "type": "Email", "title": "E-mail", "required": True},
    {"id": "applicant_address", "type": "Text", "title": "Adres", "required": True},
    {"id": "purpose", "type": "TextLine", "title": "Cel zaświadczenia", "required": False},
]
SCAN_FIELD = {"id": "scan", "type": "File", "title": "Załącznik", "required": False}
FIELDS = [*APPLICANT_FIELDS, SCAN_FIELD]
