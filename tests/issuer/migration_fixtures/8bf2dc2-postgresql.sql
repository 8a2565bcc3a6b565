--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: plus_access_append_only(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.plus_access_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN RAISE EXCEPTION 'the Plus access log is append-only'; END $$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: bd_inkomens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.bd_inkomens (
    id integer NOT NULL,
    bsn character varying(9) NOT NULL,
    belastingjaar integer NOT NULL,
    verzamelinkomen numeric(12,2) NOT NULL,
    huishoudgrootte integer NOT NULL
);


--
-- Name: bd_inkomens_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.bd_inkomens_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: bd_inkomens_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.bd_inkomens_id_seq OWNED BY public.bd_inkomens.id;


--
-- Name: bd_inkomensgrenzen; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.bd_inkomensgrenzen (
    regel character varying(64) NOT NULL,
    jaar integer NOT NULL,
    huishoudgrootte_vanaf integer NOT NULL,
    versie integer NOT NULL,
    grens numeric(12,2) NOT NULL
);


--
-- Name: brp_personen; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.brp_personen (
    bsn character varying(9) NOT NULL,
    voornamen character varying(200) NOT NULL,
    voorvoegsel character varying(20),
    geslachtsnaam character varying(200) NOT NULL,
    geboortedatum date,
    geboorteplaats character varying(100) NOT NULL,
    nationaliteit character varying(60) NOT NULL,
    straat character varying(200) NOT NULL,
    huisnummer integer NOT NULL,
    huisnummertoevoeging character varying(20),
    postcode character varying(7) NOT NULL,
    woonplaats character varying(100) NOT NULL,
    gemeente character varying(100) NOT NULL,
    land character varying(60) NOT NULL
);


--
-- Name: duo_diplomas; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.duo_diplomas (
    id integer NOT NULL,
    bsn character varying(9) NOT NULL,
    opleiding character varying(200) NOT NULL,
    niveau character varying(60) NOT NULL,
    onderwijsinstelling character varying(200) NOT NULL,
    datum_behaald date NOT NULL,
    croho_code character varying(10),
    handmatige_controle boolean NOT NULL
);


--
-- Name: duo_diplomas_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.duo_diplomas_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: duo_diplomas_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.duo_diplomas_id_seq OWNED BY public.duo_diplomas.id;


--
-- Name: issued_credentials; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.issued_credentials (
    id character varying(128) NOT NULL,
    source character varying(64) NOT NULL,
    configuration_id character varying(128) NOT NULL,
    holder_did text NOT NULL,
    subject_ref character varying(64) NOT NULL,
    issued_at timestamp with time zone NOT NULL,
    valid_until timestamp with time zone NOT NULL,
    notification_id character varying(64),
    token_hash character varying(64),
    last_event character varying(32)
);


--
-- Name: issuer_key_encryption; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.issuer_key_encryption (
    id integer NOT NULL,
    salt bytea NOT NULL,
    scrypt_n integer NOT NULL,
    scrypt_r integer NOT NULL,
    scrypt_p integer NOT NULL,
    "check" bytea NOT NULL
);


--
-- Name: issuer_key_encryption_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.issuer_key_encryption_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: issuer_key_encryption_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.issuer_key_encryption_id_seq OWNED BY public.issuer_key_encryption.id;


--
-- Name: issuer_keys; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.issuer_keys (
    source character varying(64) NOT NULL,
    number integer NOT NULL,
    public_multibase character varying(128) NOT NULL,
    sealed_secret bytea NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: issuer_sealing_identities; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.issuer_sealing_identities (
    source character varying(64) NOT NULL,
    certificate_pem text NOT NULL,
    sealed_identity bytea NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: oid4vci_deferred; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.oid4vci_deferred (
    id character varying(64) NOT NULL,
    transaction_hash character varying(64) NOT NULL,
    token_hash character varying(64) NOT NULL,
    source character varying(64) NOT NULL,
    subject character varying(32) NOT NULL,
    configuration_id character varying(128) NOT NULL,
    holder_dids json NOT NULL,
    state character varying(16) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL
);


--
-- Name: oid4vci_offers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.oid4vci_offers (
    id character varying(64) NOT NULL,
    source character varying(64) NOT NULL,
    subject character varying(32) NOT NULL,
    configuration_ids json NOT NULL,
    code_hash character varying(64) NOT NULL,
    tx_code_hash character varying(64),
    failed_attempts integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL
);


--
-- Name: oid4vci_tokens; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.oid4vci_tokens (
    token_hash character varying(64) NOT NULL,
    source character varying(64) NOT NULL,
    subject character varying(32) NOT NULL,
    configuration_ids json NOT NULL,
    credentials_issued integer NOT NULL,
    expires_at timestamp with time zone NOT NULL
);


--
-- Name: oid4vci_used_nonces; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.oid4vci_used_nonces (
    nonce_hash character varying(64) NOT NULL,
    expires_at timestamp with time zone NOT NULL
);


--
-- Name: plus_access; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.plus_access (
    chain character varying(128) NOT NULL,
    seq integer NOT NULL,
    at timestamp with time zone NOT NULL,
    event character varying(16) NOT NULL,
    source character varying(64),
    actor character varying(255),
    error character varying(64),
    detail json NOT NULL,
    prev_hash character varying(64) NOT NULL,
    hash character varying(64) NOT NULL
);


--
-- Name: plus_chains; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.plus_chains (
    chain character varying(128) NOT NULL,
    last_seq integer NOT NULL,
    last_hash character varying(64) NOT NULL
);


--
-- Name: plus_grants; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.plus_grants (
    id character varying(128) NOT NULL,
    recipient character varying(255) NOT NULL,
    recipient_name character varying(200) NOT NULL,
    subject_ref character varying(64) NOT NULL,
    sealed_bsn bytea NOT NULL,
    holder character varying(255) NOT NULL,
    purpose character varying(200) NOT NULL,
    details json NOT NULL,
    sources json NOT NULL,
    valid_from timestamp with time zone NOT NULL,
    valid_until timestamp with time zone NOT NULL,
    max_uses integer,
    state character varying(16) NOT NULL,
    granted_via character varying(16) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    revoked_by character varying(32),
    payload_hash character varying(64) NOT NULL,
    document text NOT NULL
);


--
-- Name: plus_holders; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.plus_holders (
    holder_did character varying(255) NOT NULL,
    credential_id character varying(128) NOT NULL,
    source character varying(64) NOT NULL,
    subject_ref character varying(64) NOT NULL,
    sealed_bsn bytea NOT NULL,
    expires_at timestamp with time zone NOT NULL
);


--
-- Name: plus_recipients; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.plus_recipients (
    source character varying(64) NOT NULL,
    did character varying(255) NOT NULL,
    name character varying(200) NOT NULL,
    purposes json NOT NULL,
    scopes json NOT NULL,
    keys json NOT NULL,
    active boolean NOT NULL,
    registered_at timestamp with time zone NOT NULL
);


--
-- Name: plus_used_jtis; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.plus_used_jtis (
    jti_hash character varying(64) NOT NULL,
    expires_at timestamp with time zone NOT NULL
);


--
-- Name: portal_sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.portal_sessions (
    id_hash character varying(64) NOT NULL,
    subject character varying(32) NOT NULL,
    csrf_token character varying(64) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    ends_at timestamp with time zone NOT NULL
);


--
-- Name: rdw_voertuigen; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.rdw_voertuigen (
    kenteken character varying(10) NOT NULL,
    bsn character varying(9) NOT NULL,
    merk character varying(60) NOT NULL,
    handelsbenaming character varying(100) NOT NULL,
    datum_eerste_toelating date NOT NULL,
    brandstof character varying(40) NOT NULL,
    tenaamstellingsdatum date NOT NULL
);


--
-- Name: status_entries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.status_entries (
    source character varying(64) NOT NULL,
    purpose character varying(16) NOT NULL,
    list_number integer NOT NULL,
    index integer NOT NULL,
    credential_id character varying(128) NOT NULL,
    status integer NOT NULL
);


--
-- Name: status_lists; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.status_lists (
    source character varying(64) NOT NULL,
    purpose character varying(16) NOT NULL,
    number integer NOT NULL,
    version integer NOT NULL,
    signed text,
    signed_version integer,
    signed_at timestamp with time zone
);


--
-- Name: bd_inkomens id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bd_inkomens ALTER COLUMN id SET DEFAULT nextval('public.bd_inkomens_id_seq'::regclass);


--
-- Name: duo_diplomas id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.duo_diplomas ALTER COLUMN id SET DEFAULT nextval('public.duo_diplomas_id_seq'::regclass);


--
-- Name: issuer_key_encryption id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.issuer_key_encryption ALTER COLUMN id SET DEFAULT nextval('public.issuer_key_encryption_id_seq'::regclass);


--
-- Data for Name: bd_inkomens; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.bd_inkomens VALUES (1, '999993653', 2023, 39800.00, 1);
INSERT INTO public.bd_inkomens VALUES (2, '999993653', 2024, 41250.00, 1);
INSERT INTO public.bd_inkomens VALUES (3, '999270400', 2023, 10818.04, 1);
INSERT INTO public.bd_inkomens VALUES (4, '999270400', 2024, 10785.25, 1);
INSERT INTO public.bd_inkomens VALUES (5, '999331504', 2023, 37248.17, 1);
INSERT INTO public.bd_inkomens VALUES (6, '999331504', 2024, 40123.63, 1);
INSERT INTO public.bd_inkomens VALUES (7, '999449163', 2023, 12817.24, 3);
INSERT INTO public.bd_inkomens VALUES (8, '999449163', 2024, 12004.66, 3);
INSERT INTO public.bd_inkomens VALUES (9, '999032409', 2023, 12117.39, 4);
INSERT INTO public.bd_inkomens VALUES (10, '999032409', 2024, 12580.23, 4);
INSERT INTO public.bd_inkomens VALUES (11, '999076978', 2023, 50773.38, 2);
INSERT INTO public.bd_inkomens VALUES (12, '999076978', 2024, 46654.22, 2);
INSERT INTO public.bd_inkomens VALUES (13, '999467207', 2023, 43674.40, 1);
INSERT INTO public.bd_inkomens VALUES (14, '999467207', 2024, 42468.53, 1);
INSERT INTO public.bd_inkomens VALUES (15, '999646898', 2023, 24946.84, 4);
INSERT INTO public.bd_inkomens VALUES (16, '999646898', 2024, 24166.99, 4);
INSERT INTO public.bd_inkomens VALUES (17, '999731804', 2023, 60566.67, 2);
INSERT INTO public.bd_inkomens VALUES (18, '999731804', 2024, 60893.40, 2);
INSERT INTO public.bd_inkomens VALUES (19, '999202261', 2023, 22242.16, 3);
INSERT INTO public.bd_inkomens VALUES (20, '999202261', 2024, 22384.92, 3);
INSERT INTO public.bd_inkomens VALUES (21, '999628884', 2023, 68095.87, 2);
INSERT INTO public.bd_inkomens VALUES (22, '999628884', 2024, 66796.65, 2);
INSERT INTO public.bd_inkomens VALUES (23, '999931325', 2023, 51507.24, 2);
INSERT INTO public.bd_inkomens VALUES (24, '999931325', 2024, 55573.19, 2);
INSERT INTO public.bd_inkomens VALUES (25, '999874238', 2023, 37215.91, 2);
INSERT INTO public.bd_inkomens VALUES (26, '999874238', 2024, 40275.66, 2);
INSERT INTO public.bd_inkomens VALUES (27, '999884074', 2023, 38026.84, 1);
INSERT INTO public.bd_inkomens VALUES (28, '999884074', 2024, 35833.37, 1);
INSERT INTO public.bd_inkomens VALUES (29, '999520544', 2023, 31593.91, 1);
INSERT INTO public.bd_inkomens VALUES (30, '999520544', 2024, 32571.19, 1);
INSERT INTO public.bd_inkomens VALUES (31, '999103052', 2023, 29914.88, 2);
INSERT INTO public.bd_inkomens VALUES (32, '999103052', 2024, 33659.35, 2);
INSERT INTO public.bd_inkomens VALUES (33, '999214238', 2023, 22926.59, 2);
INSERT INTO public.bd_inkomens VALUES (34, '999214238', 2024, 22039.20, 2);
INSERT INTO public.bd_inkomens VALUES (35, '999361429', 2023, 41488.43, 2);
INSERT INTO public.bd_inkomens VALUES (36, '999361429', 2024, 44095.38, 2);
INSERT INTO public.bd_inkomens VALUES (37, '999092819', 2023, 42817.99, 2);
INSERT INTO public.bd_inkomens VALUES (38, '999092819', 2024, 44254.81, 2);
INSERT INTO public.bd_inkomens VALUES (39, '999348759', 2023, 43582.44, 1);
INSERT INTO public.bd_inkomens VALUES (40, '999348759', 2024, 46416.22, 1);
INSERT INTO public.bd_inkomens VALUES (41, '999897226', 2023, 25022.43, 1);
INSERT INTO public.bd_inkomens VALUES (42, '999897226', 2024, 27810.91, 1);


--
-- Data for Name: bd_inkomensgrenzen; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.bd_inkomensgrenzen VALUES ('sociale-huurgrens', 2022, 1, 1, 40765.00);
INSERT INTO public.bd_inkomensgrenzen VALUES ('sociale-huurgrens', 2022, 2, 1, 45014.00);
INSERT INTO public.bd_inkomensgrenzen VALUES ('sociale-huurgrens', 2023, 1, 1, 44035.00);
INSERT INTO public.bd_inkomensgrenzen VALUES ('sociale-huurgrens', 2023, 2, 1, 48625.00);
INSERT INTO public.bd_inkomensgrenzen VALUES ('sociale-huurgrens', 2024, 1, 1, 47699.00);
INSERT INTO public.bd_inkomensgrenzen VALUES ('sociale-huurgrens', 2024, 2, 1, 52671.00);
INSERT INTO public.bd_inkomensgrenzen VALUES ('sociale-huurgrens', 2025, 1, 1, 48625.00);
INSERT INTO public.bd_inkomensgrenzen VALUES ('sociale-huurgrens', 2025, 2, 1, 53702.00);
INSERT INTO public.bd_inkomensgrenzen VALUES ('sociale-huurgrens', 2026, 1, 1, 49500.00);
INSERT INTO public.bd_inkomensgrenzen VALUES ('sociale-huurgrens', 2026, 2, 1, 54650.00);
INSERT INTO public.bd_inkomensgrenzen VALUES ('inkomensklasse-midden', 2022, 1, 1, 30000.00);
INSERT INTO public.bd_inkomensgrenzen VALUES ('inkomensklasse-midden', 2023, 1, 1, 31000.00);
INSERT INTO public.bd_inkomensgrenzen VALUES ('inkomensklasse-midden', 2024, 1, 1, 32000.00);
INSERT INTO public.bd_inkomensgrenzen VALUES ('inkomensklasse-midden', 2025, 1, 1, 33000.00);
INSERT INTO public.bd_inkomensgrenzen VALUES ('inkomensklasse-hoog', 2022, 1, 1, 70000.00);
INSERT INTO public.bd_inkomensgrenzen VALUES ('inkomensklasse-hoog', 2023, 1, 1, 72000.00);
INSERT INTO public.bd_inkomensgrenzen VALUES ('inkomensklasse-hoog', 2024, 1, 1, 74000.00);
INSERT INTO public.bd_inkomensgrenzen VALUES ('inkomensklasse-hoog', 2025, 1, 1, 76000.00);


--
-- Data for Name: brp_personen; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.brp_personen VALUES ('999993653', 'Anna Maria', 'de', 'Vries', '1990-04-12', 'Utrecht', 'Nederlandse', 'Oudegracht', 231, 'bis', '3511 NK', 'Utrecht', 'Utrecht', 'Nederland');
INSERT INTO public.brp_personen VALUES ('999990019', 'Rafael', NULL, 'Oliveira', '1987-11-03', 'Porto', 'Portugese', 'Biltstraat', 12, NULL, '3572 AC', 'Utrecht', 'Utrecht', 'Nederland');
INSERT INTO public.brp_personen VALUES ('999270400', 'Lina Daan', 'van de', 'Dekker', '2003-08-23', 'Amsterdam', 'Nederlandse', 'Assendorperstraat', 174, NULL, '8021 VT', 'Zwolle', 'Zwolle', 'Nederland');
INSERT INTO public.brp_personen VALUES ('999331504', 'Sophie Cornelis', 'in ''t', 'Leeuwen', '1947-09-03', 'Utrecht', 'Nederlandse', 'Amsterdamsestraatweg', 75, 'A', '3585 MK', 'Utrecht', 'Utrecht', 'Nederland');
INSERT INTO public.brp_personen VALUES ('999449163', 'Jesse', NULL, 'Bos', '1967-09-27', 'Den Haag', 'Nederlandse', 'Oosterstraat', 248, NULL, '9723 WA', 'Groningen', 'Groningen', 'Nederland');
INSERT INTO public.brp_personen VALUES ('999032409', 'Fenna', 'van der', 'Huisman', '1966-12-27', 'Amsterdam', 'Nederlandse', 'Biltstraat', 205, '2 hoog', '3575 AN', 'Utrecht', 'Utrecht', 'Nederland');
INSERT INTO public.brp_personen VALUES ('999076978', 'Fatima Noah', 'de', 'Brouwer', '1963-10-25', 'Eindhoven', 'Nederlandse', 'Tongerseweg', 87, NULL, '6211 ZT', 'Maastricht', 'Maastricht', 'Nederland');
INSERT INTO public.brp_personen VALUES ('999467207', 'Noor', 'van der', 'Kok', '1999-10-05', 'Arnhem', 'Belgische', 'Oudegracht', 165, NULL, '3534 XL', 'Utrecht', 'Utrecht', 'Nederland');
INSERT INTO public.brp_personen VALUES ('999646898', 'Ingrid', 'ter', 'Vries', '1995-07-26', 'Eindhoven', 'Nederlandse', 'Amsterdamsestraatweg', 280, NULL, '3580 PP', 'Utrecht', 'Utrecht', 'Nederland');
INSERT INTO public.brp_personen VALUES ('999731804', 'Sophie', 'in ''t', 'Graaf', '1976-04-17', 'Rabat', 'Nederlandse', 'Weimarstraat', 13, NULL, '2543 GP', 'Den Haag', '''s-Gravenhage', 'Nederland');
INSERT INTO public.brp_personen VALUES ('999202261', 'Sven', 'ter', 'Yilmaz', '1961-11-17', 'Groningen', 'Duitse', 'Assendorperstraat', 72, '2 hoog', '8017 GR', 'Zwolle', 'Zwolle', 'Nederland');
INSERT INTO public.brp_personen VALUES ('999628884', 'Sven Maria', NULL, 'Jansen', '2004-07-04', 'Zwolle', 'Nederlandse', 'Assendorperstraat', 82, NULL, '8022 MC', 'Zwolle', 'Zwolle', 'Nederland');
INSERT INTO public.brp_personen VALUES ('999931325', 'Tess', 'van den', 'Visser', '1971-07-26', 'Leeuwarden', 'Nederlandse', 'Loerikseweg', 263, NULL, '3992 GL', 'Houten', 'Houten', 'Nederland');
INSERT INTO public.brp_personen VALUES ('999874238', 'Priya', NULL, 'Bakker', '1972-09-09', 'Istanbul', 'Nederlandse', 'Diezerstraat', 211, NULL, '8023 JL', 'Zwolle', 'Zwolle', 'Nederland');
INSERT INTO public.brp_personen VALUES ('999884074', 'Sven Levi', NULL, 'El Amrani', '1966-03-06', 'Leeuwarden', 'Duitse', 'Javastraat', 212, NULL, '1095 PC', 'Amsterdam', 'Amsterdam', 'Nederland');
INSERT INTO public.brp_personen VALUES ('999520544', 'Sem', NULL, 'Kramer', '1969-10-10', 'Paramaribo', 'Turkse', 'Assendorperstraat', 162, 'A', '8030 XR', 'Zwolle', 'Zwolle', 'Nederland');
INSERT INTO public.brp_personen VALUES ('999103052', 'Yara', 'van den', 'Mulder', '1980-10-13', 'Den Haag', 'Nederlandse', 'Assendorperstraat', 31, NULL, '8013 AH', 'Zwolle', 'Zwolle', 'Nederland');
INSERT INTO public.brp_personen VALUES ('999214238', 'Willem', 'van', 'Graaf', '1991-03-25', 'Utrecht', 'Marokkaanse', 'Weimarstraat', 103, 'A', '2512 MG', 'Den Haag', '''s-Gravenhage', 'Nederland');
INSERT INTO public.brp_personen VALUES ('999361429', 'Hendrika Sara', NULL, 'Visser', '1985-06-13', 'Arnhem', 'Belgische', 'Javastraat', 265, 'bis', '1058 LN', 'Amsterdam', 'Amsterdam', 'Nederland');
INSERT INTO public.brp_personen VALUES ('999092819', 'Tess Johanna', 'in ''t', 'Brouwer', '1977-04-16', 'Den Haag', 'Nederlandse', 'Weimarstraat', 218, 'bis', '2556 BC', 'Den Haag', '''s-Gravenhage', 'Nederland');
INSERT INTO public.brp_personen VALUES ('999348759', 'Noah', 'van', 'Kramer', '1978-08-11', 'Rotterdam', 'Nederlandse', 'Amsterdamsestraatweg', 254, NULL, '3517 RL', 'Utrecht', 'Utrecht', 'Nederland');
INSERT INTO public.brp_personen VALUES ('999897226', 'Rayan Kees', NULL, 'Kok', '2001-06-29', 'Rotterdam', 'Nederlandse', 'Oudegracht', 64, 'bis', '3513 ET', 'Utrecht', 'Utrecht', 'Nederland');


--
-- Data for Name: duo_diplomas; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.duo_diplomas VALUES (1, '999993653', 'HBO-ICT', 'HBO bachelor', 'Hogeschool Utrecht', '2013-07-05', '34479', false);
INSERT INTO public.duo_diplomas VALUES (2, '999990019', 'Engenharia Informática', 'WO master', 'Universidade do Porto', '2012-07-20', NULL, true);
INSERT INTO public.duo_diplomas VALUES (3, '999270400', 'Verpleegkunde', 'HBO bachelor', 'Hogeschool van Amsterdam', '2027-05-13', '34560', false);
INSERT INTO public.duo_diplomas VALUES (4, '999331504', 'Verpleegkunde', 'HBO bachelor', 'Hogeschool van Amsterdam', '1976-04-04', '34560', false);
INSERT INTO public.duo_diplomas VALUES (5, '999449163', 'Werktuigbouwkunde', 'HBO bachelor', 'Hogeschool Windesheim', '1996-11-26', '34795', false);
INSERT INTO public.duo_diplomas VALUES (6, '999467207', 'Bedrijfskunde', 'WO bachelor', 'Rijksuniversiteit Groningen', '2024-11-13', '50645', true);
INSERT INTO public.duo_diplomas VALUES (7, '999646898', 'Verpleegkunde', 'HBO bachelor', 'Hogeschool van Amsterdam', '2018-09-30', '34560', false);
INSERT INTO public.duo_diplomas VALUES (8, '999628884', 'Bedrijfskunde', 'WO bachelor', 'Rijksuniversiteit Groningen', '2030-06-07', '50645', false);
INSERT INTO public.duo_diplomas VALUES (9, '999931325', 'Bedrijfskunde', 'WO bachelor', 'Rijksuniversiteit Groningen', '1995-08-25', '50645', false);
INSERT INTO public.duo_diplomas VALUES (10, '999874238', 'Allround timmerman', 'MBO 3', 'Albeda', '1993-05-20', NULL, false);
INSERT INTO public.duo_diplomas VALUES (11, '999884074', 'Rechtsgeleerdheid', 'WO master', 'Universiteit Leiden', '1996-02-13', '60093', false);
INSERT INTO public.duo_diplomas VALUES (12, '999520544', 'Verpleegkunde', 'HBO bachelor', 'Hogeschool van Amsterdam', '1991-08-21', '34560', false);
INSERT INTO public.duo_diplomas VALUES (13, '999103052', 'HBO-ICT', 'HBO bachelor', 'Hogeschool Utrecht', '2003-06-07', '34479', false);
INSERT INTO public.duo_diplomas VALUES (14, '999214238', 'Bedrijfskunde', 'WO bachelor', 'Rijksuniversiteit Groningen', '2020-01-07', '50645', false);
INSERT INTO public.duo_diplomas VALUES (15, '999348759', 'Werktuigbouwkunde', 'HBO bachelor', 'Hogeschool Windesheim', '1999-06-10', '34795', false);


--
-- Data for Name: issued_credentials; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.issued_credentials VALUES ('urn:uuid:33bf0a52-e7f8-47cf-be19-c6bd23d4712e', 'brp', 'PersoonsgegevensCredential_ldp_vc', 'did:key:zDnaerW3VaVKHSzRnxLr8gTL5LvdJf6SYRSg1WRN1hkr9xPFn', 'd4a900338961a26a39301ad46e307655288fce862cb6aaf1ffa90ed3519d29c8', '2026-12-06 16:47:40+00', '2027-03-06 16:47:40+00', 'RPGRf9It-dc88Goi4nDuFA', 'ee01a7091a2e4cfc0542728a43689ab3dc1a33e1b30b02b4fbe9446bc85e2318', NULL);
INSERT INTO public.issued_credentials VALUES ('urn:uuid:b9205d20-58c4-41dc-8e07-e66cca7c66d2', 'brp', 'PersoonsgegevensCredential_ldp_vc', 'did:key:zDnaejT7PXKE3D7gyrLbaU5xUnTwiBd9Dw3C5T1xRWEgprynH', 'd4a900338961a26a39301ad46e307655288fce862cb6aaf1ffa90ed3519d29c8', '2026-12-06 16:47:40+00', '2027-03-06 16:47:40+00', 'RPGRf9It-dc88Goi4nDuFA', 'ee01a7091a2e4cfc0542728a43689ab3dc1a33e1b30b02b4fbe9446bc85e2318', NULL);
INSERT INTO public.issued_credentials VALUES ('urn:uuid:24d260ad-a60e-4542-af3a-13a6b5e5de95', 'brp', 'PersoonsgegevensCredential_ldp_vc', '', 'd4a900338961a26a39301ad46e307655288fce862cb6aaf1ffa90ed3519d29c8', '2026-12-06 16:47:40+00', '2027-03-06 16:47:40+00', NULL, NULL, NULL);
INSERT INTO public.issued_credentials VALUES ('urn:uuid:01e6ce72-d779-4fe0-82e9-10c69310f4b2', 'belastingdienst', 'InkomensverklaringCredential_ldp_vc', 'did:key:zDnaeS3SsrWSUCnsH6T3vfkVumVqueLyRSRmjA5TGUPxkXdGJ', 'd4a900338961a26a39301ad46e307655288fce862cb6aaf1ffa90ed3519d29c8', '2026-12-06 16:47:40+00', '2027-12-06 16:47:40+00', 'MLE5VVJmHFYGMUsWDkp5wA', 'd30a1c909eeab80afd30bf4d301bc5d90c2eeecf3bc6b9d93683be4f3d827b45', NULL);
INSERT INTO public.issued_credentials VALUES ('urn:uuid:4c4ce05d-2b81-4c60-a610-df2a39d0159d', 'belastingdienst', 'InkomensverklaringCredential_ldp_vc', 'did:key:zDnaeja3fKw9ALSUhGBbD4wvoV9RjMLsfjFqgAJHfvD1wNHzj', 'd4a900338961a26a39301ad46e307655288fce862cb6aaf1ffa90ed3519d29c8', '2026-12-06 16:47:40+00', '2027-12-06 16:47:40+00', 'MLE5VVJmHFYGMUsWDkp5wA', 'd30a1c909eeab80afd30bf4d301bc5d90c2eeecf3bc6b9d93683be4f3d827b45', NULL);
INSERT INTO public.issued_credentials VALUES ('urn:uuid:e9defcd3-c654-4b0c-806a-37c27eca7f4c', 'belastingdienst', 'InkomensverklaringCredential_ldp_vc', '', 'd4a900338961a26a39301ad46e307655288fce862cb6aaf1ffa90ed3519d29c8', '2026-12-06 16:47:40+00', '2027-12-06 16:47:40+00', NULL, NULL, NULL);
INSERT INTO public.issued_credentials VALUES ('urn:uuid:77993d7b-3450-4ea4-b617-a2277c910dec', 'duo', 'DiplomaCredential_ldp_vc', 'did:key:zDnaes99fgzKUTzvbBgPP3fSA5NL6NMEnBmbCZuMMTAJpectA', 'd4a900338961a26a39301ad46e307655288fce862cb6aaf1ffa90ed3519d29c8', '2026-12-06 16:47:40+00', '2031-12-05 16:47:40+00', 'ACKyLMma0NBu1YhS2DgPzg', '3d48c6a1b95eee34e053ed621dcecd9edbae7ee70ef3c22cc50080136fa66a37', NULL);
INSERT INTO public.issued_credentials VALUES ('urn:uuid:aff4c160-32e2-401d-974e-dd9719cc0a5b', 'duo', 'DiplomaCredential_ldp_vc', 'did:key:zDnaeYxYgf3R9qghSByfrBijj4oziBW1Q36nete7oj3a8SsLm', 'd4a900338961a26a39301ad46e307655288fce862cb6aaf1ffa90ed3519d29c8', '2026-12-06 16:47:40+00', '2031-12-05 16:47:40+00', 'ACKyLMma0NBu1YhS2DgPzg', '3d48c6a1b95eee34e053ed621dcecd9edbae7ee70ef3c22cc50080136fa66a37', NULL);
INSERT INTO public.issued_credentials VALUES ('urn:uuid:74ee2c6a-22c7-4225-b075-9eeebf2f55a7', 'duo', 'DiplomaCredential_ldp_vc', '', 'd4a900338961a26a39301ad46e307655288fce862cb6aaf1ffa90ed3519d29c8', '2026-12-06 16:47:40+00', '2031-12-05 16:47:40+00', NULL, NULL, NULL);
INSERT INTO public.issued_credentials VALUES ('urn:uuid:f3579cfe-8f22-4a24-b866-6c10ebbeff21', 'rdw', 'VoertuigregistratieCredential_ldp_vc', 'did:key:zDnaeRzhUy6ztA6E5kJbbXhqDqy5po292pH8brQ2fU9TKon77', 'd4a900338961a26a39301ad46e307655288fce862cb6aaf1ffa90ed3519d29c8', '2026-12-06 16:47:40+00', '2027-12-06 16:47:40+00', '82PE_wmGLb39wC7pCR7NIQ', '1c1b04393031e1cfab5f33ce4f4a4e86ccf3623b9c94b3abdea9b0c072e1820d', NULL);
INSERT INTO public.issued_credentials VALUES ('urn:uuid:64e36faf-5449-49d1-a3be-ffebec62c0ad', 'rdw', 'VoertuigregistratieCredential_ldp_vc', 'did:key:zDnaebpHBEN6JsakjbEG6cuEYhViE2hAE7HBjWGgRHoTm9hFv', 'd4a900338961a26a39301ad46e307655288fce862cb6aaf1ffa90ed3519d29c8', '2026-12-06 16:47:40+00', '2027-12-06 16:47:40+00', '82PE_wmGLb39wC7pCR7NIQ', '1c1b04393031e1cfab5f33ce4f4a4e86ccf3623b9c94b3abdea9b0c072e1820d', NULL);
INSERT INTO public.issued_credentials VALUES ('urn:uuid:e1db2d8b-6d81-497e-a9ec-b40dc172d365', 'rdw', 'VoertuigregistratieCredential_ldp_vc', '', 'd4a900338961a26a39301ad46e307655288fce862cb6aaf1ffa90ed3519d29c8', '2026-12-06 16:47:40+00', '2027-12-06 16:47:40+00', NULL, NULL, NULL);


--
-- Data for Name: issuer_key_encryption; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.issuer_key_encryption VALUES (1, '\xa9cbc63240c283e51c76ee24c37cb2ae', 32768, 8, 1, '\x64525ac1a2fe0cd9af8733255eadf1e5b57dc1aed2f5288b854fe40e985eb03ab857eb095512f1e4fb90ffbff2f8b9d77a0880cef7d1ae3573db02121a7068447c3ba8');


--
-- Data for Name: issuer_keys; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.issuer_keys VALUES ('brp', 1, 'zDnaeyaZ58ubNSPSZV3o5i5vcZMqQ41gwr46BVLNNqAd9jpUw', '\xd6bc6462dbaa746b5fe9b924bc9fe570b9f8997934724dcd5f0aea4fef55b40bbfe78f0d691a22391c0dedd34d721eb3f5b19e4add1ddb1821d60749', '2026-12-07 16:47:40.384193+00');
INSERT INTO public.issuer_keys VALUES ('belastingdienst', 1, 'zDnaewtCHLAE2taFTwxY1HDVsXn896j78ep6WLaXcHeKAAF47', '\x1a9988ee5d0314cdb17f4a631cc3a6b8fdeba5bd2b0f7ab6ca4602852a511932cbe8fd531bfb1005553a274741b66dce132aa68fb587a8b8696806e6', '2026-12-07 16:47:40.39023+00');
INSERT INTO public.issuer_keys VALUES ('duo', 1, 'zDnaegCyQr2XoeGRkAvkvMxsKB3GCjwjJeST2UtakELG9KUzF', '\xd29ae8f6abec1e64d16e157561d1457bccfa5a7b3ead1ec8af8a8b09598c832cf47ac80205a6fccc9b84be205bd02a57c853e1498877116822c2c104', '2026-12-07 16:47:40.394411+00');
INSERT INTO public.issuer_keys VALUES ('rdw', 1, 'zDnaej3eCoxxM9chkkqSPeFFboDT6gXL48PPo32thyTpeUSAm', '\x8a38135c2d75c092d6d8f49ca9f11a93fa015fc14fdf4920ca6fc5c0dd91317eda646c59e93db94cf375cf9dbbc37e913f16f48bc68a8eef1b3290bb', '2026-12-07 16:47:40.398356+00');


--
-- Data for Name: issuer_sealing_identities; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: oid4vci_deferred; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.oid4vci_deferred VALUES ('pE1niOtTg64', 'e6a976fda02f79b03de702d0a8dd875dcaf71fa58511373bf02218c051bd382e', '673e6d52977b89334943881c3a71a03e34ddf8665badeb12742a1e09f0300bf6', 'duo', '999990019', 'DiplomaCredential_ldp_vc', '["did:key:zDnaeTaxiEVmAd3yKypVuHZPyqVp6TFjmyizwX3Zbx2HB2XNU"]', 'pending', '2090-01-01 00:00:00+00', '2090-01-15 00:00:00+00');
INSERT INTO public.oid4vci_deferred VALUES ('UAQMH8TvMzc', '4a77609581b7103b8b1e03f111f6c3692efaa68d913db8ea71ac6dba91e250fb', '02ad0bdb3c739f9c7f01fb3af55636ef4226195da46a0678b97971d40931dd41', 'duo', '999990019', 'DiplomaCredential_ldp_vc', '["did:key:zDnaejR48tvXhuEwnWDVkxkRRfeqJffzgTbzRgjaUbYBCmYqL"]', 'approved', '2090-01-01 00:00:00+00', '2090-01-15 00:00:00+00');


--
-- Data for Name: oid4vci_offers; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.oid4vci_offers VALUES ('3NflEHoI8j4d-l6E0GeFjKe5OSuCKbCQE7Kx01sdwaE', 'rdw', '999993653', '["VoertuigregistratieCredential_ldp_vc"]', 'c72828801cd1a8c303b6b000a48eb1421b2f4d5b5a0f3d8299942ded850a625b', 'e9a49a8b4b358c5316d9de605e6dc930171f29f646ca9d47e1fb1883064d5cac', 0, '2090-01-01 00:00:00+00', '2090-01-01 00:10:00+00');


--
-- Data for Name: oid4vci_tokens; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.oid4vci_tokens VALUES ('ee01a7091a2e4cfc0542728a43689ab3dc1a33e1b30b02b4fbe9446bc85e2318', 'brp', '999993653', '["PersoonsgegevensCredential_ldp_vc"]', 2, '2026-12-06 16:52:40.408784+00');
INSERT INTO public.oid4vci_tokens VALUES ('d30a1c909eeab80afd30bf4d301bc5d90c2eeecf3bc6b9d93683be4f3d827b45', 'belastingdienst', '999993653', '["InkomensverklaringCredential_ldp_vc"]', 2, '2026-12-06 16:52:40.529848+00');
INSERT INTO public.oid4vci_tokens VALUES ('3d48c6a1b95eee34e053ed621dcecd9edbae7ee70ef3c22cc50080136fa66a37', 'duo', '999993653', '["DiplomaCredential_ldp_vc"]', 2, '2026-12-06 16:52:40.602728+00');
INSERT INTO public.oid4vci_tokens VALUES ('1c1b04393031e1cfab5f33ce4f4a4e86ccf3623b9c94b3abdea9b0c072e1820d', 'rdw', '999993653', '["VoertuigregistratieCredential_ldp_vc"]', 2, '2026-12-06 16:52:40.660892+00');
INSERT INTO public.oid4vci_tokens VALUES ('cecc584701de37ef45a374c9156bf133ed93302a20cb251c90aeb56964101006', 'belastingdienst', '999993653', '["InkomensverklaringCredential_ldp_vc"]', 0, '2090-01-01 00:05:00+00');
INSERT INTO public.oid4vci_tokens VALUES ('673e6d52977b89334943881c3a71a03e34ddf8665badeb12742a1e09f0300bf6', 'duo', '999990019', '["DiplomaCredential_ldp_vc"]', 1, '2090-01-15 00:00:00+00');
INSERT INTO public.oid4vci_tokens VALUES ('02ad0bdb3c739f9c7f01fb3af55636ef4226195da46a0678b97971d40931dd41', 'duo', '999990019', '["DiplomaCredential_ldp_vc"]', 1, '2090-01-15 00:00:00+00');


--
-- Data for Name: oid4vci_used_nonces; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.oid4vci_used_nonces VALUES ('09e01f79a0e437109f1f16441ec3a07c961b32ced106dc9c8cefc5d85a13296f', '2026-12-06 16:52:40+00');
INSERT INTO public.oid4vci_used_nonces VALUES ('5aaea7c006b942085e279034b95e9c5f35d67aa6e85d071ee86c67dc7cd8eb44', '2026-12-06 16:52:40+00');
INSERT INTO public.oid4vci_used_nonces VALUES ('b5d2972f9055d78d38137d1dd5951de361356c4c84cd26ea5a279188f47cc554', '2026-12-06 16:52:40+00');
INSERT INTO public.oid4vci_used_nonces VALUES ('4c61f4b1ee75df8df382090c4296275086a1fef3958dd673fc07c79c26d8fcbd', '2026-12-06 16:52:40+00');
INSERT INTO public.oid4vci_used_nonces VALUES ('7eee893f870c774fa9ab3b1b6c5f0aa51816fd10d5883d8ec9d0ddfc90e62bbd', '2090-01-01 00:05:00+00');
INSERT INTO public.oid4vci_used_nonces VALUES ('6def7c880712688f8c7444dfd1ba0527cb5e56f621374796abbbaafbf710cf86', '2090-01-01 00:05:00+00');


--
-- Data for Name: plus_access; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: plus_chains; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: plus_grants; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: plus_holders; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: plus_recipients; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: plus_used_jtis; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: portal_sessions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.portal_sessions VALUES ('ee146e09c1c8f970db7865a4098889fd61232c399c2e6a6f33636a4da939318d', '999993653', 'WxxTRtl0xfStLM-Tn3j0VmAO61Q65VXgkvexA4kZyIE', '2090-01-01 00:00:00+00', '2090-01-01 00:15:00+00', '2090-01-01 02:00:00+00');


--
-- Data for Name: rdw_voertuigen; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.rdw_voertuigen VALUES ('GZ-123-B', '999993653', 'Volkswagen', 'Golf', '2019-03-15', 'Benzine', '2021-06-01');
INSERT INTO public.rdw_voertuigen VALUES ('PG-318-K', '999449163', 'Volvo', 'XC40', '2015-07-10', 'Elektriciteit', '2015-08-07');
INSERT INTO public.rdw_voertuigen VALUES ('NN-699-H', '999032409', 'Volvo', 'XC40', '2017-01-20', 'Elektriciteit', '2018-09-16');
INSERT INTO public.rdw_voertuigen VALUES ('RB-467-T', '999076978', 'Toyota', 'Yaris', '2013-11-03', 'Benzine', '2015-07-13');
INSERT INTO public.rdw_voertuigen VALUES ('KR-535-G', '999467207', 'Renault', 'Clio', '2022-11-12', 'Benzine', '2023-08-01');
INSERT INTO public.rdw_voertuigen VALUES ('LB-733-S', '999202261', 'Toyota', 'Yaris', '2019-04-03', 'Benzine', '2019-08-09');
INSERT INTO public.rdw_voertuigen VALUES ('VL-617-F', '999931325', 'Kia', 'Niro', '2012-03-01', 'Elektriciteit', '2012-12-03');
INSERT INTO public.rdw_voertuigen VALUES ('BH-625-P', '999931325', 'Skoda', 'Octavia', '2023-02-24', 'Diesel', '2024-11-06');
INSERT INTO public.rdw_voertuigen VALUES ('GS-106-D', '999874238', 'Volkswagen', 'Golf', '2018-06-07', 'Benzine', '2019-09-14');
INSERT INTO public.rdw_voertuigen VALUES ('RJ-523-X', '999884074', 'Renault', 'Clio', '2011-05-31', 'Benzine', '2013-01-03');
INSERT INTO public.rdw_voertuigen VALUES ('SJ-282-L', '999103052', 'Volvo', 'XC40', '2021-10-29', 'Elektriciteit', '2021-12-08');
INSERT INTO public.rdw_voertuigen VALUES ('LL-371-F', '999214238', 'Renault', 'Clio', '2010-02-08', 'Benzine', '2010-05-16');
INSERT INTO public.rdw_voertuigen VALUES ('ZX-403-J', '999897226', 'Kia', 'Niro', '2018-04-06', 'Elektriciteit', '2018-04-13');


--
-- Data for Name: status_entries; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.status_entries VALUES ('brp', 'suspension', 1, 10728, 'urn:uuid:33bf0a52-e7f8-47cf-be19-c6bd23d4712e', 0);
INSERT INTO public.status_entries VALUES ('brp', 'revocation', 1, 103809, 'urn:uuid:b9205d20-58c4-41dc-8e07-e66cca7c66d2', 0);
INSERT INTO public.status_entries VALUES ('brp', 'suspension', 1, 44065, 'urn:uuid:b9205d20-58c4-41dc-8e07-e66cca7c66d2', 0);
INSERT INTO public.status_entries VALUES ('brp', 'revocation', 1, 24361, 'urn:uuid:24d260ad-a60e-4542-af3a-13a6b5e5de95', 0);
INSERT INTO public.status_entries VALUES ('brp', 'suspension', 1, 46575, 'urn:uuid:24d260ad-a60e-4542-af3a-13a6b5e5de95', 0);
INSERT INTO public.status_entries VALUES ('belastingdienst', 'revocation', 1, 96735, 'urn:uuid:01e6ce72-d779-4fe0-82e9-10c69310f4b2', 0);
INSERT INTO public.status_entries VALUES ('belastingdienst', 'revocation', 1, 95095, 'urn:uuid:4c4ce05d-2b81-4c60-a610-df2a39d0159d', 0);
INSERT INTO public.status_entries VALUES ('belastingdienst', 'suspension', 1, 92580, 'urn:uuid:4c4ce05d-2b81-4c60-a610-df2a39d0159d', 0);
INSERT INTO public.status_entries VALUES ('belastingdienst', 'revocation', 1, 96371, 'urn:uuid:e9defcd3-c654-4b0c-806a-37c27eca7f4c', 0);
INSERT INTO public.status_entries VALUES ('belastingdienst', 'suspension', 1, 57985, 'urn:uuid:e9defcd3-c654-4b0c-806a-37c27eca7f4c', 0);
INSERT INTO public.status_entries VALUES ('duo', 'revocation', 1, 56990, 'urn:uuid:aff4c160-32e2-401d-974e-dd9719cc0a5b', 0);
INSERT INTO public.status_entries VALUES ('duo', 'suspension', 1, 18841, 'urn:uuid:aff4c160-32e2-401d-974e-dd9719cc0a5b', 0);
INSERT INTO public.status_entries VALUES ('duo', 'revocation', 1, 19580, 'urn:uuid:74ee2c6a-22c7-4225-b075-9eeebf2f55a7', 0);
INSERT INTO public.status_entries VALUES ('duo', 'suspension', 1, 30064, 'urn:uuid:74ee2c6a-22c7-4225-b075-9eeebf2f55a7', 0);
INSERT INTO public.status_entries VALUES ('rdw', 'revocation', 1, 40292, 'urn:uuid:f3579cfe-8f22-4a24-b866-6c10ebbeff21', 0);
INSERT INTO public.status_entries VALUES ('rdw', 'revocation', 1, 28739, 'urn:uuid:64e36faf-5449-49d1-a3be-ffebec62c0ad', 0);
INSERT INTO public.status_entries VALUES ('rdw', 'suspension', 1, 120127, 'urn:uuid:64e36faf-5449-49d1-a3be-ffebec62c0ad', 0);
INSERT INTO public.status_entries VALUES ('rdw', 'revocation', 1, 118254, 'urn:uuid:e1db2d8b-6d81-497e-a9ec-b40dc172d365', 0);
INSERT INTO public.status_entries VALUES ('rdw', 'suspension', 1, 62990, 'urn:uuid:e1db2d8b-6d81-497e-a9ec-b40dc172d365', 0);
INSERT INTO public.status_entries VALUES ('brp', 'revocation', 1, 101532, 'urn:uuid:33bf0a52-e7f8-47cf-be19-c6bd23d4712e', 1);
INSERT INTO public.status_entries VALUES ('belastingdienst', 'suspension', 1, 11922, 'urn:uuid:01e6ce72-d779-4fe0-82e9-10c69310f4b2', 1);
INSERT INTO public.status_entries VALUES ('duo', 'revocation', 1, 91064, 'urn:uuid:77993d7b-3450-4ea4-b617-a2277c910dec', 1);
INSERT INTO public.status_entries VALUES ('duo', 'suspension', 1, 45886, 'urn:uuid:77993d7b-3450-4ea4-b617-a2277c910dec', 1);
INSERT INTO public.status_entries VALUES ('rdw', 'suspension', 1, 52658, 'urn:uuid:f3579cfe-8f22-4a24-b866-6c10ebbeff21', 0);


--
-- Data for Name: status_lists; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.status_lists VALUES ('brp', 'suspension', 1, 0, NULL, NULL, NULL);
INSERT INTO public.status_lists VALUES ('belastingdienst', 'revocation', 1, 0, NULL, NULL, NULL);
INSERT INTO public.status_lists VALUES ('rdw', 'revocation', 1, 0, NULL, NULL, NULL);
INSERT INTO public.status_lists VALUES ('brp', 'revocation', 1, 1, '{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"https://issuer.example.nl/brp/status/revocation/1","type":["VerifiableCredential","BitstringStatusListCredential"],"issuer":"did:web:issuer.example.nl:brp","validFrom":"2026-12-07T16:47:40Z","validUntil":"2026-12-08T16:47:40Z","credentialSubject":{"id":"https://issuer.example.nl/brp/status/revocation/1#list","type":"BitstringStatusList","statusPurpose":"revocation","encodedList":"uH4sIAAAAAAACA-3QMQ0AAAwDoJ71r7galuwECSQAAAAAAAAAAAAAAAAcVQEAAADfBqGPuXYAQAAA","ttl":300000},"proof":{"type":"DataIntegrityProof","cryptosuite":"ecdsa-rdfc-2019","verificationMethod":"did:web:issuer.example.nl:brp#key-1","proofPurpose":"assertionMethod","created":"2026-12-07T16:47:40Z","proofValue":"z4HgmCzdpeJt7Dk9E1pf5d4gAumjCLTpK1ctp5u2uLwamzkf5h3V1STubrmdHEz4hmBzHa9usm1G7PbANqSctefAx"}}', 1, '2026-12-07 16:47:40.713584+00');
INSERT INTO public.status_lists VALUES ('belastingdienst', 'suspension', 1, 1, '{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"https://issuer.example.nl/belastingdienst/status/suspension/1","type":["VerifiableCredential","BitstringStatusListCredential"],"issuer":"did:web:issuer.example.nl:belastingdienst","validFrom":"2026-12-07T16:47:40Z","validUntil":"2026-12-08T16:47:40Z","credentialSubject":{"id":"https://issuer.example.nl/belastingdienst/status/suspension/1#list","type":"BitstringStatusList","statusPurpose":"suspension","encodedList":"uH4sIAAAAAAACA-3QAQ0AAAwCIKPYP6U5_kEEEgB-qAIAAAAAAAAAAAAAAAAAgMMGcnI2zQBAAAA","ttl":300000},"proof":{"type":"DataIntegrityProof","cryptosuite":"ecdsa-rdfc-2019","verificationMethod":"did:web:issuer.example.nl:belastingdienst#key-1","proofPurpose":"assertionMethod","created":"2026-12-07T16:47:40Z","proofValue":"z561gWq8Nm4o1xP4NkVQyzPUp937NqSoR72i9wNLCPQLZdBRYzRQcEw7tNuHRfZXj5owFv1ECbYeoVZSwiThVw7G"}}', 1, '2026-12-07 16:47:40.748634+00');
INSERT INTO public.status_lists VALUES ('duo', 'revocation', 1, 1, '{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"https://issuer.example.nl/duo/status/revocation/1","type":["VerifiableCredential","BitstringStatusListCredential"],"issuer":"did:web:issuer.example.nl:duo","validFrom":"2026-12-07T16:47:40Z","validUntil":"2026-12-08T16:47:40Z","credentialSubject":{"id":"https://issuer.example.nl/duo/status/revocation/1#list","type":"BitstringStatusList","statusPurpose":"revocation","encodedList":"uH4sIAAAAAAACA-3QMQEAAAwCIKMb3Qb79kEEEgAAAAAAAAAAAACAUxUAAAAAwL8BhEQ02ABAAAA","ttl":300000},"proof":{"type":"DataIntegrityProof","cryptosuite":"ecdsa-rdfc-2019","verificationMethod":"did:web:issuer.example.nl:duo#key-1","proofPurpose":"assertionMethod","created":"2026-12-07T16:47:40Z","proofValue":"z3F3VCcTHxnAaERBTAy1TZ3w2ADr1Ju4X99zGcSCwtN2cZGoo8ecCvLSoUACK3bHV6tYmg8TLbQ1p1susNc6yvNcC"}}', 1, '2026-12-07 16:47:40.785672+00');
INSERT INTO public.status_lists VALUES ('duo', 'suspension', 1, 1, '{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"https://issuer.example.nl/duo/status/suspension/1","type":["VerifiableCredential","BitstringStatusListCredential"],"issuer":"did:web:issuer.example.nl:duo","validFrom":"2026-12-07T16:47:40Z","validUntil":"2026-12-08T16:47:40Z","credentialSubject":{"id":"https://issuer.example.nl/duo/status/suspension/1#list","type":"BitstringStatusList","statusPurpose":"suspension","encodedList":"uH4sIAAAAAAACA-3QMQ0AAAwDoKb-RdfDshMkkAAAAAAAwFkVAAAAAAAAAAAAAPwYhHYv-QBAAAA","ttl":300000},"proof":{"type":"DataIntegrityProof","cryptosuite":"ecdsa-rdfc-2019","verificationMethod":"did:web:issuer.example.nl:duo#key-1","proofPurpose":"assertionMethod","created":"2026-12-07T16:47:40Z","proofValue":"zm1qwpUMcytcLw9KCGqpHLdeNxNjnbLr2pLkdC7xsM4n41ZmLNJrgZVkEsq1DAo29yTCZcuzSCUVkVLwMZiG13GE"}}', 1, '2026-12-07 16:47:40.807839+00');
INSERT INTO public.status_lists VALUES ('rdw', 'suspension', 1, 2, '{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"https://issuer.example.nl/rdw/status/suspension/1","type":["VerifiableCredential","BitstringStatusListCredential"],"issuer":"did:web:issuer.example.nl:rdw","validFrom":"2026-12-07T16:47:40Z","validUntil":"2026-12-08T16:47:40Z","credentialSubject":{"id":"https://issuer.example.nl/rdw/status/suspension/1#list","type":"BitstringStatusList","statusPurpose":"suspension","encodedList":"uH4sIAAAAAAACA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA","ttl":300000},"proof":{"type":"DataIntegrityProof","cryptosuite":"ecdsa-rdfc-2019","verificationMethod":"did:web:issuer.example.nl:rdw#key-1","proofPurpose":"assertionMethod","created":"2026-12-07T16:47:40Z","proofValue":"zL8qnFtSKnV1QU1fdEgQJ29qjpaj4ZjUgH6gSbRavLcBZ9AfLcmxyVx9vLJM4KqpSqVvgbQ7z6SrQNonKRmrpCZ8"}}', 2, '2026-12-07 16:47:40.849186+00');


--
-- Name: bd_inkomens_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.bd_inkomens_id_seq', 42, true);


--
-- Name: duo_diplomas_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.duo_diplomas_id_seq', 15, true);


--
-- Name: issuer_key_encryption_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.issuer_key_encryption_id_seq', 1, false);


--
-- Name: bd_inkomens bd_inkomens_bsn_belastingjaar_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bd_inkomens
    ADD CONSTRAINT bd_inkomens_bsn_belastingjaar_key UNIQUE (bsn, belastingjaar);


--
-- Name: bd_inkomens bd_inkomens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bd_inkomens
    ADD CONSTRAINT bd_inkomens_pkey PRIMARY KEY (id);


--
-- Name: bd_inkomensgrenzen bd_inkomensgrenzen_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bd_inkomensgrenzen
    ADD CONSTRAINT bd_inkomensgrenzen_pkey PRIMARY KEY (regel, jaar, huishoudgrootte_vanaf, versie);


--
-- Name: brp_personen brp_personen_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.brp_personen
    ADD CONSTRAINT brp_personen_pkey PRIMARY KEY (bsn);


--
-- Name: duo_diplomas duo_diplomas_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.duo_diplomas
    ADD CONSTRAINT duo_diplomas_pkey PRIMARY KEY (id);


--
-- Name: issued_credentials issued_credentials_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.issued_credentials
    ADD CONSTRAINT issued_credentials_pkey PRIMARY KEY (id);


--
-- Name: issuer_key_encryption issuer_key_encryption_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.issuer_key_encryption
    ADD CONSTRAINT issuer_key_encryption_pkey PRIMARY KEY (id);


--
-- Name: issuer_keys issuer_keys_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.issuer_keys
    ADD CONSTRAINT issuer_keys_pkey PRIMARY KEY (source, number);


--
-- Name: issuer_sealing_identities issuer_sealing_identities_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.issuer_sealing_identities
    ADD CONSTRAINT issuer_sealing_identities_pkey PRIMARY KEY (source);


--
-- Name: oid4vci_deferred oid4vci_deferred_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oid4vci_deferred
    ADD CONSTRAINT oid4vci_deferred_pkey PRIMARY KEY (id);


--
-- Name: oid4vci_deferred oid4vci_deferred_transaction_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oid4vci_deferred
    ADD CONSTRAINT oid4vci_deferred_transaction_hash_key UNIQUE (transaction_hash);


--
-- Name: oid4vci_offers oid4vci_offers_code_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oid4vci_offers
    ADD CONSTRAINT oid4vci_offers_code_hash_key UNIQUE (code_hash);


--
-- Name: oid4vci_offers oid4vci_offers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oid4vci_offers
    ADD CONSTRAINT oid4vci_offers_pkey PRIMARY KEY (id);


--
-- Name: oid4vci_tokens oid4vci_tokens_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oid4vci_tokens
    ADD CONSTRAINT oid4vci_tokens_pkey PRIMARY KEY (token_hash);


--
-- Name: oid4vci_used_nonces oid4vci_used_nonces_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.oid4vci_used_nonces
    ADD CONSTRAINT oid4vci_used_nonces_pkey PRIMARY KEY (nonce_hash);


--
-- Name: plus_access plus_access_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plus_access
    ADD CONSTRAINT plus_access_pkey PRIMARY KEY (chain, seq);


--
-- Name: plus_chains plus_chains_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plus_chains
    ADD CONSTRAINT plus_chains_pkey PRIMARY KEY (chain);


--
-- Name: plus_grants plus_grants_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plus_grants
    ADD CONSTRAINT plus_grants_pkey PRIMARY KEY (id);


--
-- Name: plus_holders plus_holders_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plus_holders
    ADD CONSTRAINT plus_holders_pkey PRIMARY KEY (holder_did);


--
-- Name: plus_recipients plus_recipients_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plus_recipients
    ADD CONSTRAINT plus_recipients_pkey PRIMARY KEY (source, did);


--
-- Name: plus_used_jtis plus_used_jtis_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.plus_used_jtis
    ADD CONSTRAINT plus_used_jtis_pkey PRIMARY KEY (jti_hash);


--
-- Name: portal_sessions portal_sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.portal_sessions
    ADD CONSTRAINT portal_sessions_pkey PRIMARY KEY (id_hash);


--
-- Name: rdw_voertuigen rdw_voertuigen_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.rdw_voertuigen
    ADD CONSTRAINT rdw_voertuigen_pkey PRIMARY KEY (kenteken);


--
-- Name: status_entries status_entries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.status_entries
    ADD CONSTRAINT status_entries_pkey PRIMARY KEY (source, purpose, list_number, index);


--
-- Name: status_lists status_lists_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.status_lists
    ADD CONSTRAINT status_lists_pkey PRIMARY KEY (source, purpose, number);


--
-- Name: ix_bd_inkomens_bsn; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_bd_inkomens_bsn ON public.bd_inkomens USING btree (bsn);


--
-- Name: ix_duo_diplomas_bsn; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_duo_diplomas_bsn ON public.duo_diplomas USING btree (bsn);


--
-- Name: ix_issued_credentials_notification_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_issued_credentials_notification_id ON public.issued_credentials USING btree (notification_id);


--
-- Name: ix_issued_credentials_subject_ref; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_issued_credentials_subject_ref ON public.issued_credentials USING btree (subject_ref);


--
-- Name: ix_oid4vci_deferred_state; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_oid4vci_deferred_state ON public.oid4vci_deferred USING btree (state);


--
-- Name: ix_oid4vci_offers_expires_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_oid4vci_offers_expires_at ON public.oid4vci_offers USING btree (expires_at);


--
-- Name: ix_oid4vci_tokens_expires_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_oid4vci_tokens_expires_at ON public.oid4vci_tokens USING btree (expires_at);


--
-- Name: ix_oid4vci_used_nonces_expires_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_oid4vci_used_nonces_expires_at ON public.oid4vci_used_nonces USING btree (expires_at);


--
-- Name: ix_plus_grants_holder; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_plus_grants_holder ON public.plus_grants USING btree (holder);


--
-- Name: ix_plus_grants_recipient; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_plus_grants_recipient ON public.plus_grants USING btree (recipient);


--
-- Name: ix_plus_grants_subject_ref; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_plus_grants_subject_ref ON public.plus_grants USING btree (subject_ref);


--
-- Name: ix_plus_holders_expires_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_plus_holders_expires_at ON public.plus_holders USING btree (expires_at);


--
-- Name: ix_plus_used_jtis_expires_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_plus_used_jtis_expires_at ON public.plus_used_jtis USING btree (expires_at);


--
-- Name: ix_portal_sessions_expires_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_portal_sessions_expires_at ON public.portal_sessions USING btree (expires_at);


--
-- Name: ix_rdw_voertuigen_bsn; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_rdw_voertuigen_bsn ON public.rdw_voertuigen USING btree (bsn);


--
-- Name: ix_status_entries_credential; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_status_entries_credential ON public.status_entries USING btree (credential_id);


--
-- Name: plus_access plus_access_append_only; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER plus_access_append_only BEFORE DELETE OR UPDATE ON public.plus_access FOR EACH ROW EXECUTE FUNCTION public.plus_access_append_only();


--
-- Name: plus_access plus_access_no_truncate; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER plus_access_no_truncate BEFORE TRUNCATE ON public.plus_access FOR EACH STATEMENT EXECUTE FUNCTION public.plus_access_append_only();


--
-- PostgreSQL database dump complete
--


