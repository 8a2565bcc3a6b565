BEGIN TRANSACTION;
CREATE TABLE bd_inkomens (
	id INTEGER NOT NULL, 
	bsn VARCHAR(9) NOT NULL, 
	belastingjaar INTEGER NOT NULL, 
	verzamelinkomen NUMERIC(12, 2) NOT NULL, 
	huishoudgrootte INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (bsn, belastingjaar)
);
INSERT INTO "bd_inkomens" VALUES(1,'999993653',2023,39800,1);
INSERT INTO "bd_inkomens" VALUES(2,'999993653',2024,41250,1);
INSERT INTO "bd_inkomens" VALUES(3,'999270400',2023,10818.04,1);
INSERT INTO "bd_inkomens" VALUES(4,'999270400',2024,10785.25,1);
INSERT INTO "bd_inkomens" VALUES(5,'999331504',2023,37248.17,1);
INSERT INTO "bd_inkomens" VALUES(6,'999331504',2024,40123.63,1);
INSERT INTO "bd_inkomens" VALUES(7,'999449163',2023,12817.24,3);
INSERT INTO "bd_inkomens" VALUES(8,'999449163',2024,12004.66,3);
INSERT INTO "bd_inkomens" VALUES(9,'999032409',2023,12117.39,4);
INSERT INTO "bd_inkomens" VALUES(10,'999032409',2024,12580.23,4);
INSERT INTO "bd_inkomens" VALUES(11,'999076978',2023,50773.38,2);
INSERT INTO "bd_inkomens" VALUES(12,'999076978',2024,46654.22,2);
INSERT INTO "bd_inkomens" VALUES(13,'999467207',2023,43674.4,1);
INSERT INTO "bd_inkomens" VALUES(14,'999467207',2024,42468.53,1);
INSERT INTO "bd_inkomens" VALUES(15,'999646898',2023,24946.84,4);
INSERT INTO "bd_inkomens" VALUES(16,'999646898',2024,24166.99,4);
INSERT INTO "bd_inkomens" VALUES(17,'999731804',2023,60566.67,2);
INSERT INTO "bd_inkomens" VALUES(18,'999731804',2024,60893.4,2);
INSERT INTO "bd_inkomens" VALUES(19,'999202261',2023,22242.16,3);
INSERT INTO "bd_inkomens" VALUES(20,'999202261',2024,22384.92,3);
INSERT INTO "bd_inkomens" VALUES(21,'999628884',2023,68095.87,2);
INSERT INTO "bd_inkomens" VALUES(22,'999628884',2024,66796.65,2);
INSERT INTO "bd_inkomens" VALUES(23,'999931325',2023,51507.24,2);
INSERT INTO "bd_inkomens" VALUES(24,'999931325',2024,55573.19,2);
INSERT INTO "bd_inkomens" VALUES(25,'999874238',2023,37215.91,2);
INSERT INTO "bd_inkomens" VALUES(26,'999874238',2024,40275.66,2);
INSERT INTO "bd_inkomens" VALUES(27,'999884074',2023,38026.84,1);
INSERT INTO "bd_inkomens" VALUES(28,'999884074',2024,35833.37,1);
INSERT INTO "bd_inkomens" VALUES(29,'999520544',2023,31593.91,1);
INSERT INTO "bd_inkomens" VALUES(30,'999520544',2024,32571.19,1);
INSERT INTO "bd_inkomens" VALUES(31,'999103052',2023,29914.88,2);
INSERT INTO "bd_inkomens" VALUES(32,'999103052',2024,33659.35,2);
INSERT INTO "bd_inkomens" VALUES(33,'999214238',2023,22926.59,2);
INSERT INTO "bd_inkomens" VALUES(34,'999214238',2024,22039.2,2);
INSERT INTO "bd_inkomens" VALUES(35,'999361429',2023,41488.43,2);
INSERT INTO "bd_inkomens" VALUES(36,'999361429',2024,44095.38,2);
INSERT INTO "bd_inkomens" VALUES(37,'999092819',2023,42817.99,2);
INSERT INTO "bd_inkomens" VALUES(38,'999092819',2024,44254.81,2);
INSERT INTO "bd_inkomens" VALUES(39,'999348759',2023,43582.44,1);
INSERT INTO "bd_inkomens" VALUES(40,'999348759',2024,46416.22,1);
INSERT INTO "bd_inkomens" VALUES(41,'999897226',2023,25022.43,1);
INSERT INTO "bd_inkomens" VALUES(42,'999897226',2024,27810.91,1);
CREATE TABLE bd_inkomensgrenzen (
	regel VARCHAR(64) NOT NULL, 
	jaar INTEGER NOT NULL, 
	huishoudgrootte_vanaf INTEGER NOT NULL, 
	versie INTEGER NOT NULL, 
	grens NUMERIC(12, 2) NOT NULL, 
	PRIMARY KEY (regel, jaar, huishoudgrootte_vanaf, versie)
);
INSERT INTO "bd_inkomensgrenzen" VALUES('sociale-huurgrens',2022,1,1,40765);
INSERT INTO "bd_inkomensgrenzen" VALUES('sociale-huurgrens',2022,2,1,45014);
INSERT INTO "bd_inkomensgrenzen" VALUES('sociale-huurgrens',2023,1,1,44035);
INSERT INTO "bd_inkomensgrenzen" VALUES('sociale-huurgrens',2023,2,1,48625);
INSERT INTO "bd_inkomensgrenzen" VALUES('sociale-huurgrens',2024,1,1,47699);
INSERT INTO "bd_inkomensgrenzen" VALUES('sociale-huurgrens',2024,2,1,52671);
INSERT INTO "bd_inkomensgrenzen" VALUES('sociale-huurgrens',2025,1,1,48625);
INSERT INTO "bd_inkomensgrenzen" VALUES('sociale-huurgrens',2025,2,1,53702);
INSERT INTO "bd_inkomensgrenzen" VALUES('sociale-huurgrens',2026,1,1,49500);
INSERT INTO "bd_inkomensgrenzen" VALUES('sociale-huurgrens',2026,2,1,54650);
INSERT INTO "bd_inkomensgrenzen" VALUES('inkomensklasse-midden',2022,1,1,30000);
INSERT INTO "bd_inkomensgrenzen" VALUES('inkomensklasse-midden',2023,1,1,31000);
INSERT INTO "bd_inkomensgrenzen" VALUES('inkomensklasse-midden',2024,1,1,32000);
INSERT INTO "bd_inkomensgrenzen" VALUES('inkomensklasse-midden',2025,1,1,33000);
INSERT INTO "bd_inkomensgrenzen" VALUES('inkomensklasse-hoog',2022,1,1,70000);
INSERT INTO "bd_inkomensgrenzen" VALUES('inkomensklasse-hoog',2023,1,1,72000);
INSERT INTO "bd_inkomensgrenzen" VALUES('inkomensklasse-hoog',2024,1,1,74000);
INSERT INTO "bd_inkomensgrenzen" VALUES('inkomensklasse-hoog',2025,1,1,76000);
CREATE TABLE brp_personen (
	bsn VARCHAR(9) NOT NULL, 
	voornamen VARCHAR(200) NOT NULL, 
	voorvoegsel VARCHAR(20), 
	geslachtsnaam VARCHAR(200) NOT NULL, 
	geboortedatum DATE, 
	geboorteplaats VARCHAR(100) NOT NULL, 
	nationaliteit VARCHAR(60) NOT NULL, 
	straat VARCHAR(200) NOT NULL, 
	huisnummer INTEGER NOT NULL, 
	huisnummertoevoeging VARCHAR(20), 
	postcode VARCHAR(7) NOT NULL, 
	woonplaats VARCHAR(100) NOT NULL, 
	gemeente VARCHAR(100) NOT NULL, 
	land VARCHAR(60) NOT NULL, 
	PRIMARY KEY (bsn)
);
INSERT INTO "brp_personen" VALUES('999993653','Anna Maria','de','Vries','1990-04-12','Utrecht','Nederlandse','Oudegracht',231,'bis','3511 NK','Utrecht','Utrecht','Nederland');
INSERT INTO "brp_personen" VALUES('999990019','Rafael',NULL,'Oliveira','1987-11-03','Porto','Portugese','Biltstraat',12,NULL,'3572 AC','Utrecht','Utrecht','Nederland');
INSERT INTO "brp_personen" VALUES('999270400','Lina Daan','van de','Dekker','2003-08-23','Amsterdam','Nederlandse','Assendorperstraat',174,NULL,'8021 VT','Zwolle','Zwolle','Nederland');
INSERT INTO "brp_personen" VALUES('999331504','Sophie Cornelis','in ''t','Leeuwen','1947-09-03','Utrecht','Nederlandse','Amsterdamsestraatweg',75,'A','3585 MK','Utrecht','Utrecht','Nederland');
INSERT INTO "brp_personen" VALUES('999449163','Jesse',NULL,'Bos','1967-09-27','Den Haag','Nederlandse','Oosterstraat',248,NULL,'9723 WA','Groningen','Groningen','Nederland');
INSERT INTO "brp_personen" VALUES('999032409','Fenna','van der','Huisman','1966-12-27','Amsterdam','Nederlandse','Biltstraat',205,'2 hoog','3575 AN','Utrecht','Utrecht','Nederland');
INSERT INTO "brp_personen" VALUES('999076978','Fatima Noah','de','Brouwer','1963-10-25','Eindhoven','Nederlandse','Tongerseweg',87,NULL,'6211 ZT','Maastricht','Maastricht','Nederland');
INSERT INTO "brp_personen" VALUES('999467207','Noor','van der','Kok','1999-10-05','Arnhem','Belgische','Oudegracht',165,NULL,'3534 XL','Utrecht','Utrecht','Nederland');
INSERT INTO "brp_personen" VALUES('999646898','Ingrid','ter','Vries','1995-07-26','Eindhoven','Nederlandse','Amsterdamsestraatweg',280,NULL,'3580 PP','Utrecht','Utrecht','Nederland');
INSERT INTO "brp_personen" VALUES('999731804','Sophie','in ''t','Graaf','1976-04-17','Rabat','Nederlandse','Weimarstraat',13,NULL,'2543 GP','Den Haag','''s-Gravenhage','Nederland');
INSERT INTO "brp_personen" VALUES('999202261','Sven','ter','Yilmaz','1961-11-17','Groningen','Duitse','Assendorperstraat',72,'2 hoog','8017 GR','Zwolle','Zwolle','Nederland');
INSERT INTO "brp_personen" VALUES('999628884','Sven Maria',NULL,'Jansen','2004-07-04','Zwolle','Nederlandse','Assendorperstraat',82,NULL,'8022 MC','Zwolle','Zwolle','Nederland');
INSERT INTO "brp_personen" VALUES('999931325','Tess','van den','Visser','1971-07-26','Leeuwarden','Nederlandse','Loerikseweg',263,NULL,'3992 GL','Houten','Houten','Nederland');
INSERT INTO "brp_personen" VALUES('999874238','Priya',NULL,'Bakker','1972-09-09','Istanbul','Nederlandse','Diezerstraat',211,NULL,'8023 JL','Zwolle','Zwolle','Nederland');
INSERT INTO "brp_personen" VALUES('999884074','Sven Levi',NULL,'El Amrani','1966-03-06','Leeuwarden','Duitse','Javastraat',212,NULL,'1095 PC','Amsterdam','Amsterdam','Nederland');
INSERT INTO "brp_personen" VALUES('999520544','Sem',NULL,'Kramer','1969-10-10','Paramaribo','Turkse','Assendorperstraat',162,'A','8030 XR','Zwolle','Zwolle','Nederland');
INSERT INTO "brp_personen" VALUES('999103052','Yara','van den','Mulder','1980-10-13','Den Haag','Nederlandse','Assendorperstraat',31,NULL,'8013 AH','Zwolle','Zwolle','Nederland');
INSERT INTO "brp_personen" VALUES('999214238','Willem','van','Graaf','1991-03-25','Utrecht','Marokkaanse','Weimarstraat',103,'A','2512 MG','Den Haag','''s-Gravenhage','Nederland');
INSERT INTO "brp_personen" VALUES('999361429','Hendrika Sara',NULL,'Visser','1985-06-13','Arnhem','Belgische','Javastraat',265,'bis','1058 LN','Amsterdam','Amsterdam','Nederland');
INSERT INTO "brp_personen" VALUES('999092819','Tess Johanna','in ''t','Brouwer','1977-04-16','Den Haag','Nederlandse','Weimarstraat',218,'bis','2556 BC','Den Haag','''s-Gravenhage','Nederland');
INSERT INTO "brp_personen" VALUES('999348759','Noah','van','Kramer','1978-08-11','Rotterdam','Nederlandse','Amsterdamsestraatweg',254,NULL,'3517 RL','Utrecht','Utrecht','Nederland');
INSERT INTO "brp_personen" VALUES('999897226','Rayan Kees',NULL,'Kok','2001-06-29','Rotterdam','Nederlandse','Oudegracht',64,'bis','3513 ET','Utrecht','Utrecht','Nederland');
CREATE TABLE duo_diplomas (
	id INTEGER NOT NULL, 
	bsn VARCHAR(9) NOT NULL, 
	opleiding VARCHAR(200) NOT NULL, 
	niveau VARCHAR(60) NOT NULL, 
	onderwijsinstelling VARCHAR(200) NOT NULL, 
	datum_behaald DATE NOT NULL, 
	croho_code VARCHAR(10), 
	handmatige_controle BOOLEAN NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "duo_diplomas" VALUES(1,'999993653','HBO-ICT','HBO bachelor','Hogeschool Utrecht','2013-07-05','34479',0);
INSERT INTO "duo_diplomas" VALUES(2,'999990019','Engenharia Informática','WO master','Universidade do Porto','2012-07-20',NULL,1);
INSERT INTO "duo_diplomas" VALUES(3,'999270400','Verpleegkunde','HBO bachelor','Hogeschool van Amsterdam','2027-05-13','34560',0);
INSERT INTO "duo_diplomas" VALUES(4,'999331504','Verpleegkunde','HBO bachelor','Hogeschool van Amsterdam','1976-04-04','34560',0);
INSERT INTO "duo_diplomas" VALUES(5,'999449163','Werktuigbouwkunde','HBO bachelor','Hogeschool Windesheim','1996-11-26','34795',0);
INSERT INTO "duo_diplomas" VALUES(6,'999467207','Bedrijfskunde','WO bachelor','Rijksuniversiteit Groningen','2024-11-13','50645',1);
INSERT INTO "duo_diplomas" VALUES(7,'999646898','Verpleegkunde','HBO bachelor','Hogeschool van Amsterdam','2018-09-30','34560',0);
INSERT INTO "duo_diplomas" VALUES(8,'999628884','Bedrijfskunde','WO bachelor','Rijksuniversiteit Groningen','2030-06-07','50645',0);
INSERT INTO "duo_diplomas" VALUES(9,'999931325','Bedrijfskunde','WO bachelor','Rijksuniversiteit Groningen','1995-08-25','50645',0);
INSERT INTO "duo_diplomas" VALUES(10,'999874238','Allround timmerman','MBO 3','Albeda','1993-05-20',NULL,0);
INSERT INTO "duo_diplomas" VALUES(11,'999884074','Rechtsgeleerdheid','WO master','Universiteit Leiden','1996-02-13','60093',0);
INSERT INTO "duo_diplomas" VALUES(12,'999520544','Verpleegkunde','HBO bachelor','Hogeschool van Amsterdam','1991-08-21','34560',0);
INSERT INTO "duo_diplomas" VALUES(13,'999103052','HBO-ICT','HBO bachelor','Hogeschool Utrecht','2003-06-07','34479',0);
INSERT INTO "duo_diplomas" VALUES(14,'999214238','Bedrijfskunde','WO bachelor','Rijksuniversiteit Groningen','2020-01-07','50645',0);
INSERT INTO "duo_diplomas" VALUES(15,'999348759','Werktuigbouwkunde','HBO bachelor','Hogeschool Windesheim','1999-06-10','34795',0);
CREATE TABLE issued_credentials (
	id VARCHAR(128) NOT NULL, 
	source VARCHAR(64) NOT NULL, 
	configuration_id VARCHAR(128) NOT NULL, 
	holder_did TEXT NOT NULL, 
	subject_ref VARCHAR(64) NOT NULL, 
	issued_at DATETIME NOT NULL, 
	valid_until DATETIME NOT NULL, 
	notification_id VARCHAR(64), 
	token_hash VARCHAR(64), 
	last_event VARCHAR(32), 
	PRIMARY KEY (id)
);
INSERT INTO "issued_credentials" VALUES('urn:uuid:a131421f-38d5-47d3-bdf2-89002ce53d45','brp','PersoonsgegevensCredential_ldp_vc','did:key:zDnaeawKYzrsHbuw3JXS5XCXP79MedvbWmJ3KPABUBx7k7GKs','3e2a77211be1958f2310c72670e5bdef47d13790d1ebc9a1a4a1a4fda2893a3e','2026-12-06 16:47:36.000000','2027-03-06 16:47:36.000000','ufh0CUr9XRZeWWFTRmBStQ','5635bc1b42205f778e0c61849ab4c67f9ccd008a383dbb51422fc6a618dee29f',NULL);
INSERT INTO "issued_credentials" VALUES('urn:uuid:4fd1cfcd-035c-4182-b768-6371fb61b287','brp','PersoonsgegevensCredential_ldp_vc','did:key:zDnaeyTsTh2jCWpMPRVWyRySM6B17BrCZCJeur7vL9gVRrmZz','3e2a77211be1958f2310c72670e5bdef47d13790d1ebc9a1a4a1a4fda2893a3e','2026-12-06 16:47:36.000000','2027-03-06 16:47:36.000000','ufh0CUr9XRZeWWFTRmBStQ','5635bc1b42205f778e0c61849ab4c67f9ccd008a383dbb51422fc6a618dee29f',NULL);
INSERT INTO "issued_credentials" VALUES('urn:uuid:999ce867-a089-443d-bba8-c4db7673914a','brp','PersoonsgegevensCredential_ldp_vc','','3e2a77211be1958f2310c72670e5bdef47d13790d1ebc9a1a4a1a4fda2893a3e','2026-12-06 16:47:36.000000','2027-03-06 16:47:36.000000',NULL,NULL,NULL);
INSERT INTO "issued_credentials" VALUES('urn:uuid:87ba7929-8285-4487-a4fe-9f9df1d0ce84','belastingdienst','InkomensverklaringCredential_ldp_vc','did:key:zDnaeurJVwdHQKeZhAFChoE1wjgBtPKhV9H8Y6gsxA2npA1G3','3e2a77211be1958f2310c72670e5bdef47d13790d1ebc9a1a4a1a4fda2893a3e','2026-12-06 16:47:37.000000','2027-12-06 16:47:37.000000','1mbg5uOrl5ytqQ-aKTMLfw','f932a085ac4a3874ecd8145ab9670029d91f17cee275228863a4e2c50e48e18d',NULL);
INSERT INTO "issued_credentials" VALUES('urn:uuid:e78b373b-c7eb-4616-ab6d-b793345fc9c4','belastingdienst','InkomensverklaringCredential_ldp_vc','did:key:zDnaezN6LcsPAWJu1KzVXcmRUiNYc8ThhbbRmt2EuhYNhcMni','3e2a77211be1958f2310c72670e5bdef47d13790d1ebc9a1a4a1a4fda2893a3e','2026-12-06 16:47:37.000000','2027-12-06 16:47:37.000000','1mbg5uOrl5ytqQ-aKTMLfw','f932a085ac4a3874ecd8145ab9670029d91f17cee275228863a4e2c50e48e18d',NULL);
INSERT INTO "issued_credentials" VALUES('urn:uuid:001b95c1-874c-468c-bcc9-c351c8283ea2','belastingdienst','InkomensverklaringCredential_ldp_vc','','3e2a77211be1958f2310c72670e5bdef47d13790d1ebc9a1a4a1a4fda2893a3e','2026-12-06 16:47:37.000000','2027-12-06 16:47:37.000000',NULL,NULL,NULL);
INSERT INTO "issued_credentials" VALUES('urn:uuid:4d6fdc72-9746-477e-998b-057bef6e6c06','duo','DiplomaCredential_ldp_vc','did:key:zDnaeaWCsyG1GYdaZUkJe951Q3YZvZkfqgkhe1KohKzpuNkTo','3e2a77211be1958f2310c72670e5bdef47d13790d1ebc9a1a4a1a4fda2893a3e','2026-12-06 16:47:37.000000','2031-12-05 16:47:37.000000','-MgNtcJZGIOMp_DUTlSCKw','5dd63a483c557d8164fbeaac0368d2820352a007553d95949b0b64862ce4d6a0',NULL);
INSERT INTO "issued_credentials" VALUES('urn:uuid:5d626bd8-9fe1-45df-b10b-246cf523f0cd','duo','DiplomaCredential_ldp_vc','did:key:zDnaevKPHjL3NWESkBLTqgJLWNqBpcakWWtGmHddxw2d8Fras','3e2a77211be1958f2310c72670e5bdef47d13790d1ebc9a1a4a1a4fda2893a3e','2026-12-06 16:47:37.000000','2031-12-05 16:47:37.000000','-MgNtcJZGIOMp_DUTlSCKw','5dd63a483c557d8164fbeaac0368d2820352a007553d95949b0b64862ce4d6a0',NULL);
INSERT INTO "issued_credentials" VALUES('urn:uuid:ff3c4278-5cd3-4682-b99d-d10f47fd02d2','duo','DiplomaCredential_ldp_vc','','3e2a77211be1958f2310c72670e5bdef47d13790d1ebc9a1a4a1a4fda2893a3e','2026-12-06 16:47:37.000000','2031-12-05 16:47:37.000000',NULL,NULL,NULL);
INSERT INTO "issued_credentials" VALUES('urn:uuid:d7ec4584-85ba-4423-9d1b-bcfa244a279c','rdw','VoertuigregistratieCredential_ldp_vc','did:key:zDnaeZotTsvQHuptVvrbmeHg4enVj4Qd3VmtTryjchWVmuuUe','3e2a77211be1958f2310c72670e5bdef47d13790d1ebc9a1a4a1a4fda2893a3e','2026-12-06 16:47:37.000000','2027-12-06 16:47:37.000000','vsXv9Am8dYVrDnI1dVrtrw','58aab360d1efa2a78fd38265ce2a85ce62d05ff2b62a3649ccbcc0808884d5aa',NULL);
INSERT INTO "issued_credentials" VALUES('urn:uuid:5c00dff3-eb32-43a0-b021-20a578dea0d7','rdw','VoertuigregistratieCredential_ldp_vc','did:key:zDnaeUGfBpVvM8AzCFjsdwjmRgk4FX7ZznJ3cinEFxFStm6Bf','3e2a77211be1958f2310c72670e5bdef47d13790d1ebc9a1a4a1a4fda2893a3e','2026-12-06 16:47:37.000000','2027-12-06 16:47:37.000000','vsXv9Am8dYVrDnI1dVrtrw','58aab360d1efa2a78fd38265ce2a85ce62d05ff2b62a3649ccbcc0808884d5aa',NULL);
INSERT INTO "issued_credentials" VALUES('urn:uuid:b24412c1-c2a5-4e0f-9834-e255405e71e9','rdw','VoertuigregistratieCredential_ldp_vc','','3e2a77211be1958f2310c72670e5bdef47d13790d1ebc9a1a4a1a4fda2893a3e','2026-12-06 16:47:37.000000','2027-12-06 16:47:37.000000',NULL,NULL,NULL);
CREATE TABLE issuer_key_encryption (
	id INTEGER NOT NULL, 
	salt BLOB NOT NULL, 
	scrypt_n INTEGER NOT NULL, 
	scrypt_r INTEGER NOT NULL, 
	scrypt_p INTEGER NOT NULL, 
	"check" BLOB NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "issuer_key_encryption" VALUES(1,X'5D86215AD108BEBF57C45B6DD68BCA81',32768,8,1,X'99AB08BDD12586E7AB3B22F395CD6A2D6FE3EFC56BD859EE8BBA1AE33BB57A9ABC1EDD31D89CE312E568554C95D34D29FB046AC6B7F0C45B0410F67B08943B5617CE5C');
CREATE TABLE issuer_keys (
	source VARCHAR(64) NOT NULL, 
	number INTEGER NOT NULL, 
	public_multibase VARCHAR(128) NOT NULL, 
	sealed_secret BLOB NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (source, number)
);
INSERT INTO "issuer_keys" VALUES('brp',1,'zDnaeyaZ58ubNSPSZV3o5i5vcZMqQ41gwr46BVLNNqAd9jpUw',X'7DAACA62F97714F1EDA88F0C09B835F93ECA678A30803DDEB6563E0BEF3CF365EA7591DFFE1F19C497815F1340368CA69842C6793F5C5DE08A2DDA3A','2026-12-07 16:47:36.830291');
INSERT INTO "issuer_keys" VALUES('belastingdienst',1,'zDnaewtCHLAE2taFTwxY1HDVsXn896j78ep6WLaXcHeKAAF47',X'5480FEF3AD018A2F0FA128CA42282F2200EAF8BEC14BCA4AF9FF9AE0BAD202B97A987B38CDC56D6A79F2652F3159B0A40E15566F3745A6BBFBF33204','2026-12-07 16:47:36.834264');
INSERT INTO "issuer_keys" VALUES('duo',1,'zDnaegCyQr2XoeGRkAvkvMxsKB3GCjwjJeST2UtakELG9KUzF',X'1FDB4DD62E6FB7285F4D249F3F1759990E18922A2A09D7F4E4950165CA0D5DDD00BA4DCB7942EEE6725FE980723975953CEFED160377CB2E700C50A8','2026-12-07 16:47:36.836600');
INSERT INTO "issuer_keys" VALUES('rdw',1,'zDnaej3eCoxxM9chkkqSPeFFboDT6gXL48PPo32thyTpeUSAm',X'8B9D5209EC8655641AED54AE5CB4FAB91BFE1646F35F7ECFDABD27F12B4B3C77801F39BA07274F15B600ED40C6D81C7F15DE7FD6E00FBDE48BFB3DA9','2026-12-07 16:47:36.842883');
CREATE TABLE issuer_sealing_identities (
	source VARCHAR(64) NOT NULL, 
	certificate_pem TEXT NOT NULL, 
	sealed_identity BLOB NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (source)
);
CREATE TABLE oid4vci_deferred (
	id VARCHAR(64) NOT NULL, 
	transaction_hash VARCHAR(64) NOT NULL, 
	token_hash VARCHAR(64) NOT NULL, 
	source VARCHAR(64) NOT NULL, 
	subject VARCHAR(32) NOT NULL, 
	configuration_id VARCHAR(128) NOT NULL, 
	holder_dids JSON NOT NULL, 
	state VARCHAR(16) NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (transaction_hash)
);
INSERT INTO "oid4vci_deferred" VALUES('fvusVsZPhWc','7c293e07300b0eac93ed71664e6c834997719f8a91b7c35502082e3e60b915ac','1270e9770dd055c41b6e4bd8c0fbef29176a2b21ceaab5f52723a7285f7f2737','duo','999990019','DiplomaCredential_ldp_vc','["did:key:zDnaen9KKL9gLCLF8wmYVRKAwkvPksXtSY2dNn2WCbdoAQsry"]','pending','2090-01-01 00:00:00.000000','2090-01-15 00:00:00.000000');
INSERT INTO "oid4vci_deferred" VALUES('iD3SX5YM4zA','8a51495a61c0751590c64fb506948ce004de690d02a1e62bdae0b284f91c7be2','57991d10030cae5b7d9108a8549e761c56bf8904c12112b5fe107668521eaa57','duo','999990019','DiplomaCredential_ldp_vc','["did:key:zDnaene3wi8JAegiuKR13Fe4GBrWWrUqJ2LeJ8pMQR37149eg"]','approved','2090-01-01 00:00:00.000000','2090-01-15 00:00:00.000000');
CREATE TABLE oid4vci_offers (
	id VARCHAR(64) NOT NULL, 
	source VARCHAR(64) NOT NULL, 
	subject VARCHAR(32) NOT NULL, 
	configuration_ids JSON NOT NULL, 
	code_hash VARCHAR(64) NOT NULL, 
	tx_code_hash VARCHAR(64), 
	failed_attempts INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (code_hash)
);
INSERT INTO "oid4vci_offers" VALUES('56Be8BeKf_a1yWkoQKym8FyBYNXsetnlNQxcvK1AV3c','rdw','999993653','["VoertuigregistratieCredential_ldp_vc"]','c9e9b4f55804c38d66602f7c4afc04b65dd33fe427a24089ae0962b97f2d578b','ae41f13b06fbe54141b9dbec1229af84c92b9885a7c34dc8a4be79148ecc7263',0,'2090-01-01 00:00:00.000000','2090-01-01 00:10:00.000000');
CREATE TABLE oid4vci_tokens (
	token_hash VARCHAR(64) NOT NULL, 
	source VARCHAR(64) NOT NULL, 
	subject VARCHAR(32) NOT NULL, 
	configuration_ids JSON NOT NULL, 
	credentials_issued INTEGER NOT NULL, 
	expires_at DATETIME NOT NULL, 
	PRIMARY KEY (token_hash)
);
INSERT INTO "oid4vci_tokens" VALUES('5635bc1b42205f778e0c61849ab4c67f9ccd008a383dbb51422fc6a618dee29f','brp','999993653','["PersoonsgegevensCredential_ldp_vc"]',2,'2026-12-06 16:52:36.868550');
INSERT INTO "oid4vci_tokens" VALUES('f932a085ac4a3874ecd8145ab9670029d91f17cee275228863a4e2c50e48e18d','belastingdienst','999993653','["InkomensverklaringCredential_ldp_vc"]',2,'2026-12-06 16:52:37.006141');
INSERT INTO "oid4vci_tokens" VALUES('5dd63a483c557d8164fbeaac0368d2820352a007553d95949b0b64862ce4d6a0','duo','999993653','["DiplomaCredential_ldp_vc"]',2,'2026-12-06 16:52:37.048990');
INSERT INTO "oid4vci_tokens" VALUES('58aab360d1efa2a78fd38265ce2a85ce62d05ff2b62a3649ccbcc0808884d5aa','rdw','999993653','["VoertuigregistratieCredential_ldp_vc"]',2,'2026-12-06 16:52:37.087173');
INSERT INTO "oid4vci_tokens" VALUES('1b459fa9b6546b0b27f1d431e8ac2137b076a81612972bd9c7953da4b3acc02b','belastingdienst','999993653','["InkomensverklaringCredential_ldp_vc"]',0,'2090-01-01 00:05:00.000000');
INSERT INTO "oid4vci_tokens" VALUES('1270e9770dd055c41b6e4bd8c0fbef29176a2b21ceaab5f52723a7285f7f2737','duo','999990019','["DiplomaCredential_ldp_vc"]',1,'2090-01-15 00:00:00.000000');
INSERT INTO "oid4vci_tokens" VALUES('57991d10030cae5b7d9108a8549e761c56bf8904c12112b5fe107668521eaa57','duo','999990019','["DiplomaCredential_ldp_vc"]',1,'2090-01-15 00:00:00.000000');
CREATE TABLE oid4vci_used_nonces (
	nonce_hash VARCHAR(64) NOT NULL, 
	expires_at DATETIME NOT NULL, 
	PRIMARY KEY (nonce_hash)
);
INSERT INTO "oid4vci_used_nonces" VALUES('9294906f9c145e98af3d681448b1cfe2c2e11375a1efcf919474c56bdc9ab77d','2026-12-06 16:52:36.000000');
INSERT INTO "oid4vci_used_nonces" VALUES('14d880aa48784dd69981d579a0e8e12ceef88f7a6da663eb44778ff7be896744','2026-12-06 16:52:37.000000');
INSERT INTO "oid4vci_used_nonces" VALUES('0d5cc81bb4efd7aa356150581849580a6bdaae3d59bb79381306ae6157237ee7','2026-12-06 16:52:37.000000');
INSERT INTO "oid4vci_used_nonces" VALUES('72ce2a2933ba30b5e1e23ce03a3f3d85af1769b9f705b8ac976d8b9776928ff3','2026-12-06 16:52:37.000000');
INSERT INTO "oid4vci_used_nonces" VALUES('22e1e39fe79d7df19f79a7130b752e60c2f1d6819c5c7df8a6813c972bad4635','2090-01-01 00:05:00.000000');
INSERT INTO "oid4vci_used_nonces" VALUES('a60149c8b0f42aabbe5c0de43862e83dd9f8efdc3ec269c1c6cbaee578e8e385','2090-01-01 00:05:00.000000');
CREATE TABLE plus_access (
	chain VARCHAR(128) NOT NULL, 
	seq INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	event VARCHAR(16) NOT NULL, 
	source VARCHAR(64), 
	actor VARCHAR(255), 
	error VARCHAR(64), 
	detail JSON NOT NULL, 
	prev_hash VARCHAR(64) NOT NULL, 
	hash VARCHAR(64) NOT NULL, 
	PRIMARY KEY (chain, seq)
);
CREATE TABLE plus_chains (
	chain VARCHAR(128) NOT NULL, 
	last_seq INTEGER NOT NULL, 
	last_hash VARCHAR(64) NOT NULL, 
	PRIMARY KEY (chain)
);
CREATE TABLE plus_grants (
	id VARCHAR(128) NOT NULL, 
	recipient VARCHAR(255) NOT NULL, 
	recipient_name VARCHAR(200) NOT NULL, 
	subject_ref VARCHAR(64) NOT NULL, 
	sealed_bsn BLOB NOT NULL, 
	holder VARCHAR(255) NOT NULL, 
	purpose VARCHAR(200) NOT NULL, 
	details JSON NOT NULL, 
	sources JSON NOT NULL, 
	valid_from DATETIME NOT NULL, 
	valid_until DATETIME NOT NULL, 
	max_uses INTEGER, 
	state VARCHAR(16) NOT NULL, 
	granted_via VARCHAR(16) NOT NULL, 
	created_at DATETIME NOT NULL, 
	revoked_at DATETIME, 
	revoked_by VARCHAR(32), 
	payload_hash VARCHAR(64) NOT NULL, 
	document TEXT NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE plus_holders (
	holder_did VARCHAR(255) NOT NULL, 
	credential_id VARCHAR(128) NOT NULL, 
	source VARCHAR(64) NOT NULL, 
	subject_ref VARCHAR(64) NOT NULL, 
	sealed_bsn BLOB NOT NULL, 
	expires_at DATETIME NOT NULL, 
	PRIMARY KEY (holder_did)
);
CREATE TABLE plus_recipients (
	source VARCHAR(64) NOT NULL, 
	did VARCHAR(255) NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	purposes JSON NOT NULL, 
	scopes JSON NOT NULL, 
	keys JSON NOT NULL, 
	active BOOLEAN NOT NULL, 
	registered_at DATETIME NOT NULL, 
	PRIMARY KEY (source, did)
);
CREATE TABLE plus_used_jtis (
	jti_hash VARCHAR(64) NOT NULL, 
	expires_at DATETIME NOT NULL, 
	PRIMARY KEY (jti_hash)
);
CREATE TABLE portal_sessions (
	id_hash VARCHAR(64) NOT NULL, 
	subject VARCHAR(32) NOT NULL, 
	csrf_token VARCHAR(64) NOT NULL, 
	created_at DATETIME NOT NULL, 
	expires_at DATETIME NOT NULL, 
	ends_at DATETIME NOT NULL, 
	PRIMARY KEY (id_hash)
);
INSERT INTO "portal_sessions" VALUES('43444a73dff04db72608fa804286e233fe7e814ec0cf31af4981b94b3c8e015f','999993653','eTINKfojMAVe92dJy1h1Hts3inkjEtT_UUqv2_A7liE','2090-01-01 00:00:00.000000','2090-01-01 00:15:00.000000','2090-01-01 02:00:00.000000');
CREATE TABLE rdw_voertuigen (
	kenteken VARCHAR(10) NOT NULL, 
	bsn VARCHAR(9) NOT NULL, 
	merk VARCHAR(60) NOT NULL, 
	handelsbenaming VARCHAR(100) NOT NULL, 
	datum_eerste_toelating DATE NOT NULL, 
	brandstof VARCHAR(40) NOT NULL, 
	tenaamstellingsdatum DATE NOT NULL, 
	PRIMARY KEY (kenteken)
);
INSERT INTO "rdw_voertuigen" VALUES('GZ-123-B','999993653','Volkswagen','Golf','2019-03-15','Benzine','2021-06-01');
INSERT INTO "rdw_voertuigen" VALUES('PG-318-K','999449163','Volvo','XC40','2015-07-10','Elektriciteit','2015-08-07');
INSERT INTO "rdw_voertuigen" VALUES('NN-699-H','999032409','Volvo','XC40','2017-01-20','Elektriciteit','2018-09-16');
INSERT INTO "rdw_voertuigen" VALUES('RB-467-T','999076978','Toyota','Yaris','2013-11-03','Benzine','2015-07-13');
INSERT INTO "rdw_voertuigen" VALUES('KR-535-G','999467207','Renault','Clio','2022-11-12','Benzine','2023-08-01');
INSERT INTO "rdw_voertuigen" VALUES('LB-733-S','999202261','Toyota','Yaris','2019-04-03','Benzine','2019-08-09');
INSERT INTO "rdw_voertuigen" VALUES('VL-617-F','999931325','Kia','Niro','2012-03-01','Elektriciteit','2012-12-03');
INSERT INTO "rdw_voertuigen" VALUES('BH-625-P','999931325','Skoda','Octavia','2023-02-24','Diesel','2024-11-06');
INSERT INTO "rdw_voertuigen" VALUES('GS-106-D','999874238','Volkswagen','Golf','2018-06-07','Benzine','2019-09-14');
INSERT INTO "rdw_voertuigen" VALUES('RJ-523-X','999884074','Renault','Clio','2011-05-31','Benzine','2013-01-03');
INSERT INTO "rdw_voertuigen" VALUES('SJ-282-L','999103052','Volvo','XC40','2021-10-29','Elektriciteit','2021-12-08');
INSERT INTO "rdw_voertuigen" VALUES('LL-371-F','999214238','Renault','Clio','2010-02-08','Benzine','2010-05-16');
INSERT INTO "rdw_voertuigen" VALUES('ZX-403-J','999897226','Kia','Niro','2018-04-06','Elektriciteit','2018-04-13');
CREATE TABLE status_entries (
	source VARCHAR(64) NOT NULL, 
	purpose VARCHAR(16) NOT NULL, 
	list_number INTEGER NOT NULL, 
	"index" INTEGER NOT NULL, 
	credential_id VARCHAR(128) NOT NULL, 
	status INTEGER NOT NULL, 
	PRIMARY KEY (source, purpose, list_number, "index")
);
INSERT INTO "status_entries" VALUES('brp','revocation',1,108113,'urn:uuid:a131421f-38d5-47d3-bdf2-89002ce53d45',1);
INSERT INTO "status_entries" VALUES('brp','suspension',1,71127,'urn:uuid:a131421f-38d5-47d3-bdf2-89002ce53d45',0);
INSERT INTO "status_entries" VALUES('brp','revocation',1,44192,'urn:uuid:4fd1cfcd-035c-4182-b768-6371fb61b287',0);
INSERT INTO "status_entries" VALUES('brp','suspension',1,60050,'urn:uuid:4fd1cfcd-035c-4182-b768-6371fb61b287',0);
INSERT INTO "status_entries" VALUES('brp','revocation',1,72759,'urn:uuid:999ce867-a089-443d-bba8-c4db7673914a',0);
INSERT INTO "status_entries" VALUES('brp','suspension',1,84480,'urn:uuid:999ce867-a089-443d-bba8-c4db7673914a',0);
INSERT INTO "status_entries" VALUES('belastingdienst','revocation',1,97772,'urn:uuid:87ba7929-8285-4487-a4fe-9f9df1d0ce84',0);
INSERT INTO "status_entries" VALUES('belastingdienst','suspension',1,3658,'urn:uuid:87ba7929-8285-4487-a4fe-9f9df1d0ce84',1);
INSERT INTO "status_entries" VALUES('belastingdienst','revocation',1,53195,'urn:uuid:e78b373b-c7eb-4616-ab6d-b793345fc9c4',0);
INSERT INTO "status_entries" VALUES('belastingdienst','suspension',1,117925,'urn:uuid:e78b373b-c7eb-4616-ab6d-b793345fc9c4',0);
INSERT INTO "status_entries" VALUES('belastingdienst','revocation',1,115592,'urn:uuid:001b95c1-874c-468c-bcc9-c351c8283ea2',0);
INSERT INTO "status_entries" VALUES('belastingdienst','suspension',1,94744,'urn:uuid:001b95c1-874c-468c-bcc9-c351c8283ea2',0);
INSERT INTO "status_entries" VALUES('duo','revocation',1,8493,'urn:uuid:4d6fdc72-9746-477e-998b-057bef6e6c06',1);
INSERT INTO "status_entries" VALUES('duo','suspension',1,77991,'urn:uuid:4d6fdc72-9746-477e-998b-057bef6e6c06',1);
INSERT INTO "status_entries" VALUES('duo','revocation',1,91432,'urn:uuid:5d626bd8-9fe1-45df-b10b-246cf523f0cd',0);
INSERT INTO "status_entries" VALUES('duo','suspension',1,116190,'urn:uuid:5d626bd8-9fe1-45df-b10b-246cf523f0cd',0);
INSERT INTO "status_entries" VALUES('duo','revocation',1,87316,'urn:uuid:ff3c4278-5cd3-4682-b99d-d10f47fd02d2',0);
INSERT INTO "status_entries" VALUES('duo','suspension',1,57702,'urn:uuid:ff3c4278-5cd3-4682-b99d-d10f47fd02d2',0);
INSERT INTO "status_entries" VALUES('rdw','revocation',1,89344,'urn:uuid:d7ec4584-85ba-4423-9d1b-bcfa244a279c',0);
INSERT INTO "status_entries" VALUES('rdw','suspension',1,103828,'urn:uuid:d7ec4584-85ba-4423-9d1b-bcfa244a279c',0);
INSERT INTO "status_entries" VALUES('rdw','revocation',1,112196,'urn:uuid:5c00dff3-eb32-43a0-b021-20a578dea0d7',0);
INSERT INTO "status_entries" VALUES('rdw','suspension',1,118364,'urn:uuid:5c00dff3-eb32-43a0-b021-20a578dea0d7',0);
INSERT INTO "status_entries" VALUES('rdw','revocation',1,103072,'urn:uuid:b24412c1-c2a5-4e0f-9834-e255405e71e9',0);
INSERT INTO "status_entries" VALUES('rdw','suspension',1,33042,'urn:uuid:b24412c1-c2a5-4e0f-9834-e255405e71e9',0);
CREATE TABLE status_lists (
	source VARCHAR(64) NOT NULL, 
	purpose VARCHAR(16) NOT NULL, 
	number INTEGER NOT NULL, 
	version INTEGER NOT NULL, 
	signed TEXT, 
	signed_version INTEGER, 
	signed_at DATETIME, 
	PRIMARY KEY (source, purpose, number)
);
INSERT INTO "status_lists" VALUES('brp','revocation',1,1,'{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"https://issuer.example.nl/brp/status/revocation/1","type":["VerifiableCredential","BitstringStatusListCredential"],"issuer":"did:web:issuer.example.nl:brp","validFrom":"2026-12-07T16:47:37Z","validUntil":"2026-12-08T16:47:37Z","credentialSubject":{"id":"https://issuer.example.nl/brp/status/revocation/1#list","type":"BitstringStatusList","statusPurpose":"revocation","encodedList":"uH4sIAAAAAAACA-3QMQEAAAwCIKPZP5URdu2DCCQAAAAAAAAAAAAAAAAA36oAAAAOA9uTDcgAQAAA","ttl":300000},"proof":{"type":"DataIntegrityProof","cryptosuite":"ecdsa-rdfc-2019","verificationMethod":"did:web:issuer.example.nl:brp#key-1","proofPurpose":"assertionMethod","created":"2026-12-07T16:47:37Z","proofValue":"z2egF6W57fgjJUGhs2ombHT5yTE6t17XLaN26ARtt5jKWMSDHCrsUdCbpTz6NFFmP9Gf7CWdLiHJUa5gzN2N8wwpv"}}',1,'2026-12-07 16:47:37.124502');
INSERT INTO "status_lists" VALUES('brp','suspension',1,0,NULL,NULL,NULL);
INSERT INTO "status_lists" VALUES('belastingdienst','revocation',1,0,NULL,NULL,NULL);
INSERT INTO "status_lists" VALUES('belastingdienst','suspension',1,1,'{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"https://issuer.example.nl/belastingdienst/status/suspension/1","type":["VerifiableCredential","BitstringStatusListCredential"],"issuer":"did:web:issuer.example.nl:belastingdienst","validFrom":"2026-12-07T16:47:37Z","validUntil":"2026-12-08T16:47:37Z","credentialSubject":{"id":"https://issuer.example.nl/belastingdienst/status/suspension/1#list","type":"BitstringStatusList","statusPurpose":"suspension","encodedList":"uH4sIAAAAAAACA-3QAQ0AAAwCIKPYP6U5_kEEEl6oAgAAAAAAAAAAAAAAAAAAgMsGQjrrCwBAAAA","ttl":300000},"proof":{"type":"DataIntegrityProof","cryptosuite":"ecdsa-rdfc-2019","verificationMethod":"did:web:issuer.example.nl:belastingdienst#key-1","proofPurpose":"assertionMethod","created":"2026-12-07T16:47:37Z","proofValue":"z2b8WYd7Mm98uBn7khxZe11Mpzbmi9hzEh1eo7KtxUUaBz5X3zeq8PF2o9Cg1BoUWg8jE3SKynW9gNijtpCUGhgMX"}}',1,'2026-12-07 16:47:37.142549');
INSERT INTO "status_lists" VALUES('duo','revocation',1,1,'{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"https://issuer.example.nl/duo/status/revocation/1","type":["VerifiableCredential","BitstringStatusListCredential"],"issuer":"did:web:issuer.example.nl:duo","validFrom":"2026-12-07T16:47:37Z","validUntil":"2026-12-08T16:47:37Z","credentialSubject":{"id":"https://issuer.example.nl/duo/status/revocation/1#list","type":"BitstringStatusList","statusPurpose":"revocation","encodedList":"uH4sIAAAAAAACA-3QIQEAAAwCMAT9M9Pg8mqLsATgUAUAAAAAAAAAAAAAAAAAAPBhQgy1OgBAAAA","ttl":300000},"proof":{"type":"DataIntegrityProof","cryptosuite":"ecdsa-rdfc-2019","verificationMethod":"did:web:issuer.example.nl:duo#key-1","proofPurpose":"assertionMethod","created":"2026-12-07T16:47:37Z","proofValue":"z5fWFUheg6WaKmg5pxEKNTxpMyZC1CAL1DiAmHaoNsEegjD6keK8CjyQKRJxw9Sha2CSquyVc9WqehZitec3VQSQT"}}',1,'2026-12-07 16:47:37.148947');
INSERT INTO "status_lists" VALUES('duo','suspension',1,1,'{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"https://issuer.example.nl/duo/status/suspension/1","type":["VerifiableCredential","BitstringStatusListCredential"],"issuer":"did:web:issuer.example.nl:duo","validFrom":"2026-12-07T16:47:37Z","validUntil":"2026-12-08T16:47:37Z","credentialSubject":{"id":"https://issuer.example.nl/duo/status/suspension/1#list","type":"BitstringStatusList","statusPurpose":"suspension","encodedList":"uH4sIAAAAAAACA-3QAQ0AAAwCIO1f2hz_IAIJAAAAAAAAAAAAX1QBAAAAAADAWQP34uj6AEAAAA","ttl":300000},"proof":{"type":"DataIntegrityProof","cryptosuite":"ecdsa-rdfc-2019","verificationMethod":"did:web:issuer.example.nl:duo#key-1","proofPurpose":"assertionMethod","created":"2026-12-07T16:47:37Z","proofValue":"z584eYdJzYXuG8kfdb6zXxWhKp73hgdiRSKqsfXB561H63PiZKtRcCQJwwPkMqrwyB2pw6SCNCWpJ7c1GPjsensXK"}}',1,'2026-12-07 16:47:37.164566');
INSERT INTO "status_lists" VALUES('rdw','revocation',1,0,NULL,NULL,NULL);
INSERT INTO "status_lists" VALUES('rdw','suspension',1,2,'{"@context":["https://www.w3.org/ns/credentials/v2"],"id":"https://issuer.example.nl/rdw/status/suspension/1","type":["VerifiableCredential","BitstringStatusListCredential"],"issuer":"did:web:issuer.example.nl:rdw","validFrom":"2026-12-07T16:47:37Z","validUntil":"2026-12-08T16:47:37Z","credentialSubject":{"id":"https://issuer.example.nl/rdw/status/suspension/1#list","type":"BitstringStatusList","statusPurpose":"suspension","encodedList":"uH4sIAAAAAAACA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA","ttl":300000},"proof":{"type":"DataIntegrityProof","cryptosuite":"ecdsa-rdfc-2019","verificationMethod":"did:web:issuer.example.nl:rdw#key-1","proofPurpose":"assertionMethod","created":"2026-12-07T16:47:37Z","proofValue":"z2oJZAQFDyB8AkSJ5mSZM5a1RAPgmXWKnAcoJtDH8cpV9MGwaa23h2wFALpT4ZWwvgq5oHd6YZ96NoByQp7ccvT2U"}}',2,'2026-12-07 16:47:37.182639');
CREATE INDEX ix_oid4vci_offers_expires_at ON oid4vci_offers (expires_at);
CREATE INDEX ix_oid4vci_tokens_expires_at ON oid4vci_tokens (expires_at);
CREATE INDEX ix_oid4vci_used_nonces_expires_at ON oid4vci_used_nonces (expires_at);
CREATE INDEX ix_oid4vci_deferred_state ON oid4vci_deferred (state);
CREATE INDEX ix_issued_credentials_subject_ref ON issued_credentials (subject_ref);
CREATE INDEX ix_issued_credentials_notification_id ON issued_credentials (notification_id);
CREATE INDEX ix_status_entries_credential ON status_entries (credential_id);
CREATE INDEX ix_plus_holders_expires_at ON plus_holders (expires_at);
CREATE INDEX ix_plus_grants_holder ON plus_grants (holder);
CREATE INDEX ix_plus_grants_subject_ref ON plus_grants (subject_ref);
CREATE INDEX ix_plus_grants_recipient ON plus_grants (recipient);
CREATE INDEX ix_plus_used_jtis_expires_at ON plus_used_jtis (expires_at);
CREATE INDEX ix_portal_sessions_expires_at ON portal_sessions (expires_at);
CREATE INDEX ix_bd_inkomens_bsn ON bd_inkomens (bsn);
CREATE INDEX ix_duo_diplomas_bsn ON duo_diplomas (bsn);
CREATE INDEX ix_rdw_voertuigen_bsn ON rdw_voertuigen (bsn);
CREATE TRIGGER plus_access_no_update BEFORE UPDATE ON plus_access BEGIN SELECT RAISE(ABORT, 'the Plus access log is append-only'); END;
CREATE TRIGGER plus_access_no_delete BEFORE DELETE ON plus_access BEGIN SELECT RAISE(ABORT, 'the Plus access log is append-only'); END;
COMMIT;
