"""The GS1 Application Identifier table and the code lists its checks use.

Plain data (no Odoo import), read by :mod:`.gs1`.

``AI_TABLE`` transcribes the Application Identifier definitions of the GS1
General Specifications (§3.2 to §3.10, release 25 and the AIs added since:
7250-7259, 8014, 8040-8043...), component by component as GS1's Barcode
Syntax Dictionary decomposes them.  One line per AI or range of AIs::

    AI[-AI]  FLAGS  COMPONENT...  [| ATTRIBUTE...]  # title

* FLAGS: ``*`` the AI is of predefined length (GS1 General Specifications
  Figure 7.8.5-2: no FNC1 after it), ``?`` it may be a GS1 Digital Link data
  attribute (query parameter); ``-`` in either place when not.
* COMPONENT: ``N`` digits, ``X`` GS1 AI encodable character set 82, ``Y``
  character set 39, ``Z`` character set 64; ``N13`` fixed, ``X..20``
  variable (1 to 20); in brackets when optional; after ``:`` the content
  checks (see ``gs1._check``): ``csum`` mod-10 check digit (§7.9.1),
  ``csumalpha`` check character pair (§7.9.5), ``gcppos1``/``gcppos2`` a
  GS1 company prefix at position 1/2, ``yymmdd``/``yymmd0``/``yyyymmdd``
  real dates (``d0``: day 00 allowed), ``hhmi``/``hh``/``mi``/``ss`` times,
  ``iso3166``/``iso3166999``/``iso3166alpha2`` country codes, ``iso4217``
  currency codes, ``iso5218`` biological sex, ``iban``, ``latitude``,
  ``longitude``, ``mediatype``, ``packagetype``, ``pcenc`` percent-encoding,
  ``pieceoftotal``, ``posinseqslash``, ``hasnondigit``, ``importeridx``,
  ``nonzero``, ``zero``, ``nozeroprefix``, ``winding``, ``yesno``,
  ``hyphen``, ``couponcode``/``couponposoffer``.
* ATTRIBUTE: ``req=A,B+C`` the message must also hold A, or B with C (each
  ``req`` applies); ``ex=A,31nn`` the AI cannot be with these (``n`` is any
  digit); ``dlpkey`` a GS1 Digital Link primary key, ``dlpkey=22,10,21|235``
  with its key qualifiers in order, ``|`` between alternative sequences.

A line that starts with blanks continues the line above.
"""

AI_TABLE = """
00 *? N18:csum,gcppos2 | dlpkey  # SSCC
01 *? N14:csum,gcppos2 | ex=255,37 dlpkey=22,10,21|235  # GTIN
02 *? N14:csum,gcppos2 | ex=01,03 req=37  # CONTENT
03 *- N14:csum,gcppos2 | ex=01,02,37,235  # MTO GTIN
10 -? X..20 | req=01,02,03,8006,8026  # BATCH/LOT
11 *? N6:yymmd0 | req=01,02,03,8006,8026  # PROD DATE
12 *? N6:yymmd0 | req=8020  # DUE DATE
13 *? N6:yymmd0 | req=01,02,03,8006,8026  # PACK DATE
15 *? N6:yymmd0 | req=01,02,03,8006,8026  # BEST BEFORE or BEST BY
16 *? N6:yymmd0 | req=01,02,03,8006,8026  # SELL BY
17 *? N6:yymmd0 | req=01,02,03,255,8006,8026  # USE BY or EXPIRY
20 *? N2 | req=01,02,03,8006,8026  # VARIANT
21 -- X..20 | req=01,03,8006 ex=235  # SERIAL
22 -- X..20 | req=01  # CPV
235 -- X..28 | req=01  # TPX
240 -? X..30 | req=01,02,03,8006,8026  # ADDITIONAL ID
241 -? X..30 | req=01,02,03,8006,8026  # CUST. PART No.
242 -? N..6 | req=01,02,8006,8026  # MTO VARIANT
243 -? X..20 | req=01,03  # PCN
250 -? X..30 | req=01+21,03+21,8006+21  # SECONDARY SERIAL
251 -? X..30 | req=01,03,8006  # REF. TO SOURCE
253 -? N13:csum,gcppos1 [X..17] | dlpkey  # GDTI
254 -- X..20 | req=414  # GLN EXTENSION COMPONENT
255 -? N13:csum,gcppos1 [N..12] | dlpkey ex=01,02,415,8006,8020,8026  # GCN
30 -? N..8 | req=01,02  # VAR. COUNT
3100-3105 *? N6 | req=01,02 ex=310n  # NET WEIGHT (kg)
3110-3115 *? N6 | req=01,02 ex=311n  # LENGTH (m)
3120-3125 *? N6 | req=01,02 ex=312n  # WIDTH (m)
3130-3135 *? N6 | req=01,02 ex=313n  # HEIGHT (m)
3140-3145 *? N6 | req=01,02 ex=314n  # AREA (m²)
3150-3155 *? N6 | req=01,02 ex=315n  # NET VOLUME (l)
3160-3165 *? N6 | req=01,02 ex=316n  # NET VOLUME (m³)
3200-3205 *? N6 | req=01,02 ex=320n  # NET WEIGHT (lb)
3210-3215 *? N6 | req=01,02 ex=321n  # LENGTH (in)
3220-3225 *? N6 | req=01,02 ex=322n  # LENGTH (ft)
3230-3235 *? N6 | req=01,02 ex=323n  # LENGTH (yd)
3240-3245 *? N6 | req=01,02 ex=324n  # WIDTH (in)
3250-3255 *? N6 | req=01,02 ex=325n  # WIDTH (ft)
3260-3265 *? N6 | req=01,02 ex=326n  # WIDTH (yd)
3270-3275 *? N6 | req=01,02 ex=327n  # HEIGHT (in)
3280-3285 *? N6 | req=01,02 ex=328n  # HEIGHT (ft)
3290-3295 *? N6 | req=01,02 ex=329n  # HEIGHT (yd)
3300-3305 *? N6 | req=00,01 ex=330n  # GROSS WEIGHT (kg)
3310-3315 *? N6 | req=00,01 ex=331n  # LENGTH (m), log
3320-3325 *? N6 | req=00,01 ex=332n  # WIDTH (m), log
3330-3335 *? N6 | req=00,01 ex=333n  # HEIGHT (m), log
3340-3345 *? N6 | req=00,01 ex=334n  # AREA (m²), log
3350-3355 *? N6 | req=00,01 ex=335n  # VOLUME (l), log
3360-3365 *? N6 | req=00,01 ex=336n  # VOLUME (m³), log
3370-3375 *? N6 | req=01 ex=337n  # KG PER m²
3400-3405 *? N6 | req=00,01 ex=340n  # GROSS WEIGHT (lb)
3410-3415 *? N6 | req=00,01 ex=341n  # LENGTH (in), log
3420-3425 *? N6 | req=00,01 ex=342n  # LENGTH (ft), log
3430-3435 *? N6 | req=00,01 ex=343n  # LENGTH (yd), log
3440-3445 *? N6 | req=00,01 ex=344n  # WIDTH (in), log
3450-3455 *? N6 | req=00,01 ex=345n  # WIDTH (ft), log
3460-3465 *? N6 | req=00,01 ex=346n  # WIDTH (yd), log
3470-3475 *? N6 | req=00,01 ex=347n  # HEIGHT (in), log
3480-3485 *? N6 | req=00,01 ex=348n  # HEIGHT (ft), log
3490-3495 *? N6 | req=00,01 ex=349n  # HEIGHT (yd), log
3500-3505 *? N6 | req=01,02 ex=350n  # AREA (in²)
3510-3515 *? N6 | req=01,02 ex=351n  # AREA (ft²)
3520-3525 *? N6 | req=01,02 ex=352n  # AREA (yd²)
3530-3535 *? N6 | req=00,01 ex=353n  # AREA (in²), log
3540-3545 *? N6 | req=00,01 ex=354n  # AREA (ft²), log
3550-3555 *? N6 | req=00,01 ex=355n  # AREA (yd²), log
3560-3565 *? N6 | req=01,02 ex=356n  # NET WEIGHT (tr oz)
3570-3575 *? N6 | req=01,02 ex=357n  # NET VOLUME (oz)
3600-3605 *? N6 | req=01,02 ex=360n  # NET VOLUME (qt (US))
3610-3615 *? N6 | req=01,02 ex=361n  # NET VOLUME (gal.)
3620-3625 *? N6 | req=00,01 ex=362n  # VOLUME (qt (US)), log
3630-3635 *? N6 | req=00,01 ex=363n  # VOLUME (gal (US)), log
3640-3645 *? N6 | req=01,02 ex=364n  # NET VOLUME (in³)
3650-3655 *? N6 | req=01,02 ex=365n  # NET VOLUME (ft³)
3660-3665 *? N6 | req=01,02 ex=366n  # NET VOLUME (yd³)
3670-3675 *? N6 | req=00,01 ex=367n  # VOLUME (in³), log
3680-3685 *? N6 | req=00,01 ex=368n  # VOLUME (ft³), log
3690-3695 *? N6 | req=00,01 ex=369n  # VOLUME (yd³), log
37 -? N..8 | req=00+02,00+8026  # COUNT
3900-3909 -? N..15 | req=255,8020 ex=390n,391n,394n,8111  # AMOUNT
3910-3919 -? N3:iso4217 N..15 | req=8020 ex=391n  # AMOUNT
3920-3929 -? N..15 | req=01+30,01+31nn,01+32nn,01+35nn,01+36nn ex=392n,393n  # PRICE
3930-3939 -? N3:iso4217 N..15 | req=30,31nn,32nn,35nn,36nn ex=393n  # PRICE
3940-3943 -? N4 | req=255 ex=394n,8111  # PRCNT OFF
3950-3955 -? N6 | req=30,31nn,32nn,35nn,36nn ex=392n,393n,395n,8005  # PRICE/UoM
400 -? X..30  # ORDER NUMBER
401 -? X..30:gcppos1 | dlpkey  # GINC
402 -? N17:csum,gcppos1 | dlpkey  # GSIN
403 -? X..30 | req=00  # ROUTE
410 *? N13:csum,gcppos1  # SHIP TO LOC
411 *? N13:csum,gcppos1  # BILL TO
412 *? N13:csum,gcppos1  # PURCHASE FROM
413 *? N13:csum,gcppos1  # SHIP FOR LOC
414 *? N13:csum,gcppos1 | dlpkey=254|7040  # LOC No.
415 *? N13:csum,gcppos1 | req=8020 dlpkey=8020  # PAY TO
416 *? N13:csum,gcppos1  # PROD/SERV LOC
417 *? N13:csum,gcppos1 | dlpkey=7040  # PARTY
420 -? X..20 | ex=421  # SHIP TO POST
421 -? N3:iso3166 X..9 | ex=4307  # SHIP TO POST
422 -? N3:iso3166 | req=01,02,03,8006,8026 ex=426  # ORIGIN
423 -? N3:iso3166 [N3]:iso3166 [N3]:iso3166 [N3]:iso3166 [N3]:iso3166
    | req=01,02,03 ex=426  # COUNTRY - INITIAL PROCESS
424 -? N3:iso3166 | req=01,02,03 ex=426  # COUNTRY - PROCESS
425 -? N3:iso3166 [N3]:iso3166 [N3]:iso3166 [N3]:iso3166 [N3]:iso3166
    | req=01,02,03 ex=426  # COUNTRY - DISASSEMBLY
426 -? N3:iso3166 | req=01,02,03  # COUNTRY - FULL PROCESS
427 -? X..3 | req=01+422,02+422,03+422  # ORIGIN SUBDIVISION
4300 -? X..35:pcenc | req=00  # SHIP TO COMP
4301 -? X..35:pcenc | req=00  # SHIP TO NAME
4302 -? X..70:pcenc | req=00  # SHIP TO ADD1
4303 -? X..70:pcenc | req=4302  # SHIP TO ADD2
4304 -? X..70:pcenc | req=00  # SHIP TO SUB
4305 -? X..70:pcenc | req=00  # SHIP TO LOC
4306 -? X..70:pcenc | req=00  # SHIP TO REG
4307 -? X2:iso3166alpha2 | req=00  # SHIP TO COUNTRY
4308 -? X..30 | req=00  # SHIP TO PHONE
4309 -? N10:latitude N10:longitude | req=00  # SHIP TO GEO
4310 -? X..35:pcenc | req=00  # RTN TO COMP
4311 -? X..35:pcenc | req=00  # RTN TO NAME
4312 -? X..70:pcenc | req=00  # RTN TO ADD1
4313 -? X..70:pcenc | req=4312  # RTN TO ADD2
4314 -? X..70:pcenc | req=00  # RTN TO SUB
4315 -? X..70:pcenc | req=00  # RTN TO LOC
4316 -? X..70:pcenc | req=00  # RTN TO REG
4317 -? X2:iso3166alpha2 | req=00  # RTN TO COUNTRY
4318 -? X..20 | req=00  # RTN TO POST
4319 -? X..30 | req=00  # RTN TO PHONE
4320 -? X..35:pcenc | req=00  # SRV DESCRIPTION
4321 -? N1:yesno | req=00  # DANGEROUS GOODS
4322 -? N1:yesno | req=00  # AUTH TO LEAVE
4323 -? N1:yesno | req=00  # SIG REQUIRED
4324 -? N6:yymmd0 N4:hhmi | req=00  # NOT BEF DEL DT
4325 -? N6:yymmd0 N4:hhmi | req=00  # NOT AFT DEL DT
4326 -? N6:yymmdd | req=00  # REL DATE
4330 -? N6 [X1]:hyphen | req=00 ex=4331  # MAX TEMP F.
4331 -? N6 [X1]:hyphen | req=00 ex=4330  # MAX TEMP C.
4332 -? N6 [X1]:hyphen | req=00 ex=4333  # MIN TEMP F.
4333 -? N6 [X1]:hyphen | req=00 ex=4332  # MIN TEMP C.
7001 -? N13 | req=01,02,8006,8026  # NSN
7002 -? X..30 | req=01,02  # MEAT CUT
7003 -? N6:yymmdd N4:hhmi | req=01,02,03  # EXPIRY TIME
7004 -? N..4 | req=01+10,03+10  # ACTIVE POTENCY
7005 -? X..12 | req=01,02  # CATCH AREA
7006 -? N6:yymmdd | req=01,02  # FIRST FREEZE DATE
7007 -? N6:yymmdd [N6]:yymmdd | req=01,02  # HARVEST DATE
7008 -? X..3 | req=01,02  # AQUATIC SPECIES
7009 -? X..10 | req=01,02  # FISHING GEAR TYPE
7010 -? X..2 | req=01,02,03  # PROD METHOD
7011 -? N6:yymmdd [N4]:hhmi | req=01,02,03  # TEST BY DATE
7020 -? X..20 | req=01+416,03+416,8006+416  # REFURB LOT
7021 -? X..20 | req=01,03,8006  # FUNC STAT
7022 -? X..20 | req=01+7021,03+7021,8006+7021  # REV STAT
7023 -? X..30:gcppos1  # GIAI - ASSEMBLY
7030 -? N3:iso3166999 X..27 | req=01,02  # PROCESSOR # 0
7031 -? N3:iso3166999 X..27 | req=01,02  # PROCESSOR # 1
7032 -? N3:iso3166999 X..27 | req=01,02  # PROCESSOR # 2
7033 -? N3:iso3166999 X..27 | req=01,02  # PROCESSOR # 3
7034 -? N3:iso3166999 X..27 | req=01,02  # PROCESSOR # 4
7035 -? N3:iso3166999 X..27 | req=01,02  # PROCESSOR # 5
7036 -? N3:iso3166999 X..27 | req=01,02  # PROCESSOR # 6
7037 -? N3:iso3166999 X..27 | req=01,02  # PROCESSOR # 7
7038 -? N3:iso3166999 X..27 | req=01,02  # PROCESSOR # 8
7039 -? N3:iso3166999 X..27 | req=01,02  # PROCESSOR # 9
7040 -- N1 X1 X1 X1:importeridx  # UIC+EXT
7041 -- X..4:packagetype | req=00  # UFRGT UNIT TYPE
710 -? X..20 | req=01  # NHRN PZN
711 -? X..20 | req=01  # NHRN CIP
712 -? X..20 | req=01  # NHRN CN
713 -? X..20 | req=01  # NHRN DRN
714 -? X..20 | req=01  # NHRN AIM
715 -? X..20 | req=01  # NHRN NDC
716 -? X..20 | req=01  # NHRN AIC
717 -? X..20 | req=01  # NHRN SRN
7230 -? X2 X..28 | req=01,8004  # CERT # 1
7231 -? X2 X..28 | req=01,8004  # CERT # 2
7232 -? X2 X..28 | req=01,8004  # CERT # 3
7233 -? X2 X..28 | req=01,8004  # CERT # 4
7234 -? X2 X..28 | req=01,8004  # CERT # 5
7235 -? X2 X..28 | req=01,8004  # CERT # 6
7236 -? X2 X..28 | req=01,8004  # CERT # 7
7237 -? X2 X..28 | req=01,8004  # CERT # 8
7238 -? X2 X..28 | req=01,8004  # CERT # 9
7239 -? X2 X..28 | req=01,8004  # CERT # 10
7240 -? X..20 | req=01,8006 ex=03  # PROTOCOL
7241 -? N2:mediatype | req=8017,8018  # AIDC MEDIA TYPE
7242 -? X..25 | req=8017,8018  # VCN
7250 -? N8:yyyymmdd | req=8018 ex=7251  # DOB
7251 -? N8:yyyymmdd N4:hhmi | req=8018 ex=7250  # DOB TIME
7252 -? N1:iso5218 | req=8018  # BIO SEX
7253 -? X..40:pcenc | req=8017,8018 ex=7256,7259  # FAMILY NAME
7254 -? X..40:pcenc | req=8017,8018 ex=7256,7259  # GIVEN NAME
7255 -? X..10 | req=8017,8018 ex=7256,7259  # SUFFIX
7256 -? X..90:pcenc | req=8017,8018  # FULL NAME
7257 -? X..70:pcenc | req=8018  # PERSON ADDR
7258 -? X3:posinseqslash | req=8018+7259  # BIRTH SEQUENCE
7259 -? X..40:pcenc | req=8018 ex=7256  # BABY
8001 -? N4:nonzero N5:nonzero N3:nonzero N1:winding N1 | req=01  # DIMENSIONS
8002 -? X..20  # CMT No.
8003 -? N1:zero N13:csum,gcppos1 [X..16] | dlpkey  # GRAI
8004 -? X..30:gcppos1 | dlpkey=7040  # GIAI
8005 -? N6 | req=01,02  # PRICE PER UNIT
8006 -? N14:csum,gcppos2 N4:pieceoftotal | ex=01,03,37 dlpkey=22,10,21  # ITIP
8007 -? X..34:iban | req=415  # IBAN
8008 -? N6:yymmdd N2:hh [N2]:mi [N2]:ss | req=01,02,03  # PROD TIME
8009 -? X..50 | req=00,01,03  # OPTSEN
8010 -? Y..30:gcppos1 | dlpkey=8011  # CPID
8011 -- N..12:nozeroprefix | req=8010  # CPID SERIAL
8012 -? X..20 | req=01,03,8006  # VERSION
8013 -? X..25:csumalpha,gcppos1 | dlpkey  # GMN
8014 -- X..25:csumalpha,gcppos1,hasnondigit | req=01  # MUDI
8017 -? N18:csum,gcppos1 | ex=8018 dlpkey=8019  # GSRN - PROVIDER
8018 -? N18:csum,gcppos1 | ex=8017 dlpkey=8019  # GSRN - RECIPIENT
8019 -- N..10 | req=8017,8018  # SRIN
8020 -- X..25 | req=415  # REF No.
8026 -? N14:csum,gcppos2 N4:pieceoftotal | req=37 ex=02,03,8006  # ITIP CONTENT
8030 -? Z..90 | req=00,01+21,03+21,253,255,8003,8004,8006+21,8010+8011,8017,8018
    # DIGSIG
8040 -- N15 | req=01+21  # IMEI
8041 -- N15 | req=01+21+8040  # IMEI2
8042 -- N32 | req=01+21+8040  # ESIM
8043 -- N18 [N..2] | req=01+21+8040  # PSIM
8110 -? X..70:couponcode  # COUPON CODE (NORTH AMERICA)
8111 -? N4 | req=255  # POINTS
8112 -? X..70:couponposoffer  # POSITIVE OFFER FILE COUPON
8200 -- X..70 | req=01  # PRODUCT URL
90 -? X..30  # INTERNAL
91-99 -? X..90  # INTERNAL
"""

#: ISO 3166-1 numeric country codes (AIs 421-426, 7030-7039...).
ISO3166_NUMERIC = frozenset(
    """
004 008 010 012 016 020 024 028 031 032 036 040 044 048 050 051 052 056 060 064 068
070 072 074 076 084 086 090 092 096 100 104 108 112 116 120 124 132 136 140 144 148
152 156 158 162 166 170 174 175 178 180 184 188 191 192 196 203 204 208 212 214 218
222 226 231 232 233 234 238 239 242 246 248 250 254 258 260 262 266 268 270 275 276
288 292 296 300 304 308 312 316 320 324 328 332 334 336 340 344 348 352 356 360 364
368 372 376 380 384 388 392 398 400 404 408 410 414 417 418 422 426 428 430 434 438
440 442 446 450 454 458 462 466 470 474 478 480 484 492 496 498 499 500 504 508 512
516 520 524 528 531 533 534 535 540 548 554 558 562 566 570 574 578 580 581 583 584
585 586 591 598 600 604 608 612 616 620 624 626 630 634 638 642 643 646 652 654 659
660 662 663 666 670 674 678 682 686 688 690 694 702 703 704 705 706 710 716 724 728
729 732 740 744 748 752 756 760 762 764 768 772 776 780 784 788 792 795 796 798 800
804 807 818 826 831 832 833 834 840 850 854 858 860 862 876 882 887 894
""".split()
)

#: ISO 3166-1 alpha-2 country codes (AIs 4307, 4317, the IBAN of 8007).
ISO3166_ALPHA2 = frozenset(
    """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN
BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL
GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM
JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME
MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP
NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD
SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO
TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split()
)

#: ISO 4217 numeric currency codes (AIs 391n, 393n).
ISO4217_NUMERIC = frozenset(
    """
008 012 032 036 044 048 050 051 052 060 064 068 072 084 090 096 104 108 116 124 132
136 144 152 156 170 174 188 192 203 208 214 222 230 232 238 242 262 270 292 320 324
328 332 340 344 348 352 356 360 364 368 376 388 392 396 398 400 404 408 410 414 417
418 422 426 430 434 446 454 458 462 480 484 496 498 504 512 516 524 532 533 548 554
558 566 578 586 590 598 600 604 608 634 643 646 654 682 690 702 704 706 710 728 748
752 756 760 764 776 780 784 788 800 807 818 826 834 840 858 860 882 886 901 924 925
926 927 928 929 930 933 934 936 938 940 941 943 944 946 947 948 949 950 951 952 953
955 956 957 958 959 960 961 962 963 964 965 967 968 969 970 971 972 973 975 976 977
978 979 980 981 984 985 986 990 994 997 999
""".split()
)

#: UN/ECE Recommendation 21 package type codes (AI 7041).
PACKAGE_TYPES = frozenset(
    """
1A 1B 1D 1F 1G 1W 200 201 202 203 204 205 206 210 211 212 2C 3A 3H 43 44 4A 4B 4C 4D
4F 4G 4H 5H 5L 5M 6H 6P 7A 7B 8 8A 8B 8C 9 AA AB AC AD AF AG AH AI AJ AL AM AP APE
AT AV B4 BB BC BD BE BF BG BGE BH BI BJ BK BL BM BME BN BO BP BQ BR BRI BS BT BU BV
BW BX BY BZ CA CB CBL CC CCE CD CE CF CG CH CI CJ CK CL CM CN CO CP CQ CR CS CT CU
CV CW CX CY CZ DA DB DC DG DH DI DJ DK DL DM DN DP DPE DR DS DT DU DV DW DX DY E1 E2
E3 EC ED EE EF EG EH EI EN FB FC FD FE FI FL FO FOB FP FPE FR FT FW FX GB GI GL GR
GU GY GZ HA HB HC HG HN HR IA IB IC ID IE IF IG IH IK IL IN IZ JB JC JG JR JT JY KG
KI LAB LE LG LT LU LV LZ MA MB MC ME MPE MR MS MT MW MX NA NE NF NG NS NT NU NV OA
OB OC OD OE OF OK OPE OT OU P2 PA PAE PB PC PD PE PF PG PH PI PJ PK PL PLP PN PO POP
PP PPE PR PT PU PUE PV PX PY PZ QA QB QC QD QF QG QH QJ QK QL QM QN QP QQ QR QS RB1
RB2 RB3 RCB RD RG RJ RK RL RO RT RZ S1 SA SB SC SD SE SEC SH SI SK SL SM SO SP SS ST
STL SU SV SW SX SY SZ T1 TB TC TD TE TEV TG THE TI TK TL TN TO TR TRE TS TT TTE TU
TV TW TWE TY TZ UC UN UUE VA VG VI VK VL VN VO VP VQ VR VS VY WA WB WC WD WF WG WH
WJ WK WL WM WN WP WQ WR WRP WS WT WU WV WW WX WY WZ X11 X12 X15 X16 X17 X18 X19 X20
X3 XA XB XC XD XF XG XH XJ XK YA YB YC YD YF YG YH YJ YK YL YM YN YP YQ YR YS YT YV
YW YX YY YZ ZA ZB ZC ZD ZF ZG ZH ZJ ZK ZL ZM ZN ZP ZQ ZR ZS ZT ZU ZV ZW ZX ZY ZZ
""".split()
)


# --------------------------------------------------------------------------- DL
#: GS1 Digital Link compression: the binary format of each AI's value, as the
#: compression algorithm of the GS1 Digital Link standard fixes it (its table
#: of AI formats, as in GS1's reference implementation of the algorithm,
#: GS1DigitalLinkCompressionPrototype).  ``AI[-AI] FORMAT...`` separated by
#: ``;``: ``N6`` a fixed-length number, ``N..8`` a variable-length number,
#: ``X..20`` / ``X2`` alphanumeric, one token a component.  An AI absent from
#: this table has no compressed form.
DL_COMPRESSION_FORMATS = """
00 N18; 01-02 N14; 10 X..20; 11-13 N6; 15-17 N6; 20 N2; 21-22 X..20; 235 N3 X..28;
240-241 X..30; 242 N..6; 243 X..20; 250-251 X..30; 253 N13 X..17; 254 X..20;
255 N13 N..12; 30 N..8; 3100-3105 N6; 3110-3115 N6; 3120-3125 N6; 3130-3135 N6;
3140-3145 N6; 3150-3155 N6; 3160-3165 N6; 3200-3205 N6; 3210-3215 N6; 3220-3225 N6;
3230-3235 N6; 3240-3245 N6; 3250-3255 N6; 3260-3265 N6; 3270-3275 N6; 3280-3285 N6;
3290-3295 N6; 3300-3305 N6; 3310-3315 N6; 3320-3325 N6; 3330-3335 N6; 3340-3345 N6;
3350-3355 N6; 3360-3365 N6; 3370-3375 N6; 3400-3405 N6; 3410-3415 N6; 3420-3425 N6;
3430-3435 N6; 3440-3445 N6; 3450-3455 N6; 3460-3465 N6; 3470-3475 N6; 3480-3485 N6;
3490-3495 N6; 3500-3505 N6; 3510-3515 N6; 3520-3525 N6; 3530-3535 N6; 3540-3545 N6;
3550-3555 N6; 3560-3565 N6; 3570-3575 N6; 3600-3605 N6; 3610-3615 N6; 3620-3625 N6;
3630-3635 N6; 3640-3645 N6; 3650-3655 N6; 3660-3665 N6; 3670-3675 N6; 3680-3685 N6;
3690-3695 N6; 37 N..8; 3900-3909 N..15; 3910-3919 N3 N..15; 3920-3929 N..15;
3930-3939 N3 N..15; 3940-3943 N4; 3950-3959 N6; 400-401 X..30; 402 N17; 403 X..30;
410-417 N13; 420 X..20; 421 N3 X..9; 422 N3; 423 N3 N..12; 424 N3; 425 N3 N..12;
426 N3; 427 X..3; 4300-4301 X..35; 4302-4306 X..70; 4307 X2; 4308 X..30; 4309 N20;
4310-4311 X..35; 4312-4316 X..70; 4317 X2; 4318 X..20; 4319 X..30; 4320 X..35;
4321-4323 N1; 4324-4325 N10; 4326 N6; 7001 N13; 7002 X..30; 7003 N10; 7004 N..4;
7005 X..12; 7006 N6; 7007 N6 N..6; 7008 X..3; 7009 X..10; 7010 X..2;
7020-7022 X..20; 7023 X..30; 7030-7039 N3 X..27; 7040 N1 X3; 710-714 X..20;
7230-7239 X..30; 7240 X..20; 8001 N14; 8002 X..20; 8003 N14 X..16; 8004 X..30;
8005 N6; 8006 N18; 8007 X..24; 8008 N8 N..4; 8009 X..50; 8010 X..30; 8011 N..12;
8012 X..20; 8013 X..30; 8017-8018 N18; 8019 N..10; 8020 X..25; 8026 N18;
8110 X..70; 8111 N4; 8112 X..70; 8200 X..70; 90 X..30; 91-99 X..90
"""

#: The optimisation codes of GS1 Digital Link compression: two hex characters
#: that stand for a sequence of AIs (``CODE=AI,AI...``).
DL_COMPRESSION_OPTIMISATIONS = """
0A=01,22 0B=01,10 0C=01,21 0D=01,17 0E=01,7003 0F=01,30 1A=01,10,21,17 1B=01,15
1C=01,11 1D=01,16 1E=01,91 1F=01,10,15 2A=01,3100 2B=01,3101 2C=01,3102 2D=01,3103
2E=01,3104 2F=01,3105 3A=01,3200 3B=01,3201 3C=01,3202 3D=01,3203 3E=01,3204
3F=01,3205 9A=8010,8011 9B=8017,8019 9C=8018,8019 9D=414,254 A0=01,3920 A1=01,3921
A2=01,3922 A3=01,3923 A4=01,3924 A5=01,3925 A6=01,3926 A7=01,3927 A8=01,3928
A9=01,3929 C0=255,3900 C1=255,3901 C2=255,3902 C3=255,3903 C4=255,3904 C5=255,3905
C6=255,3906 C7=255,3907 C8=255,3908 C9=255,3909 CA=255,3940 CB=255,3941 CC=255,3942
CD=255,3943
"""


# --------------------------------------------------------------------------- TDS
#: GS1 EPC Tag Data Standard 2.3 §15.3 Table F: the binary format of each AI's
#: value in the EPC schemes introduced in TDS 2.0 ('+' and '++') and in the
#: '+AIDC data' after them.  ``AI[-AI] COMPONENT [COMPONENT]`` separated by
#: ``;``.  Components, with their TDS §14.5 method:
#: ``F14`` Fixed-Length Numeric of 14 digits, 4 bits a digit (§14.5.4);
#: ``B6`` Fixed-Bit-Length Numeric String of 6 digits (§14.5.2);
#: ``A5/20`` Variable-length alphanumeric, 3-bit encoding indicator, 5-bit
#: length indicator, at most 20 characters (§14.5.6);
#: ``V4/12`` Variable-length numeric string without encoding indicator, 4-bit
#: length indicator, at most 12 digits (§14.5.13);
#: ``T5/30`` Delimited/Terminated Numeric, then a Variable-length alphanumeric
#: remainder with a 5-bit length indicator, at most 30 characters (§14.5.5);
#: ``D6`` 6-digit date YYMMDD (§14.5.8); ``DT`` 10-digit date+time (§14.5.9);
#: ``DR`` Variable-format date / date range (§14.5.10); ``DP``
#: Variable-precision date+time (§14.5.11); ``CC`` Country code ISO 3166-1
#: alpha-2 (§14.5.12); ``BIT`` Single data bit (§14.5.7); ``MINUS`` Optional
#: minus sign in 1 bit (§14.5.14); ``SEQ`` Sequence indicator (§14.5.15).
#: (03) and (8014) are intentionally absent (TDS Table F note).
TDS_TABLE_F = """
00 F18; 01-02 F14; 10 A5/20; 11-13 D6; 15-17 D6; 20 B2; 21-22 A5/20; 235 A5/28;
240-241 A5/30; 242 V3/6; 243 A5/20; 250-251 A5/30; 253 F13 A5/17; 254 A5/20;
255 F13 V4/12; 30 V4/8; 3100-3105 B6; 3110-3115 B6; 3120-3125 B6; 3130-3135 B6;
3140-3145 B6; 3150-3155 B6; 3160-3165 B6; 3200-3205 B6; 3210-3215 B6;
3220-3225 B6; 3230-3235 B6; 3240-3245 B6; 3250-3255 B6; 3260-3265 B6;
3270-3275 B6; 3280-3285 B6; 3290-3295 B6; 3300-3305 B6; 3310-3315 B6;
3320-3325 B6; 3330-3335 B6; 3340-3345 B6; 3350-3355 B6; 3360-3365 B6;
3370-3375 B6; 3400-3405 B6; 3410-3415 B6; 3420-3425 B6; 3430-3435 B6;
3440-3445 B6; 3450-3455 B6; 3460-3465 B6; 3470-3475 B6; 3480-3485 B6;
3490-3495 B6; 3500-3505 B6; 3510-3515 B6; 3520-3525 B6; 3530-3535 B6;
3540-3545 B6; 3550-3555 B6; 3560-3565 B6; 3570-3575 B6; 3600-3605 B6;
3610-3615 B6; 3620-3625 B6; 3630-3635 B6; 3640-3645 B6; 3650-3655 B6;
3660-3665 B6; 3670-3675 B6; 3680-3685 B6; 3690-3695 B6; 37 V4/8;
3900-3909 V4/15; 3910-3919 B3 V4/15; 3920-3929 V4/15; 3930-3939 B3 V4/15;
3940-3943 B4; 3950-3953 B6; 400-401 A5/30; 402 B17; 403 A5/30; 410-417 F13;
420 A5/20; 421 B3 A4/9; 422 B3; 423 V4/15; 424 B3; 425 V4/15; 426 B3; 427 A2/3;
4300-4301 A6/35; 4302-4306 A7/70; 4307 CC; 4308 A5/30; 4309 B20;
4310-4311 A6/35; 4312-4316 A7/70; 4317 CC; 4318 A5/20; 4319 A5/30; 4320 A6/35;
4321-4323 BIT; 4324-4325 DT; 4326 D6; 4330-4333 B6 MINUS; 7001 B13; 7002 A5/30;
7003 DT; 7004 V3/4; 7005 A4/12; 7006 D6; 7007 DR; 7008 A2/3; 7009 A4/10;
7010 A2/2; 7011 DP; 7020-7022 A5/20; 7023 T5/30; 7030-7039 B3 A5/27; 7040 A3/4;
7041 A3/4; 710-716 A5/20; 7230-7239 A5/30; 7240 A5/20; 7241 F2; 7242 A5/25;
7250 B8; 7251 B12; 7252 B1; 7253 A6/40; 7254 A6/30; 7255 A4/10; 7256 A7/90;
7257 A7/70; 7258 SEQ; 7259 A6/40; 8001 B14; 8002 A5/20; 8003 F14 A5/16;
8004 T5/30; 8005 B6; 8006 F18; 8007 A5/24; 8008 DP; 8009 A6/50; 8010 T5/30;
8011 V4/12; 8012 A5/20; 8013 A5/25; 8017-8018 F18; 8019 V4/10; 8020 A5/25;
8026 F18; 8030 A7/90; 8110 A7/70; 8111 B4; 8112 A7/70; 8200 A7/70; 90 A5/30;
91-99 A7/90
"""
