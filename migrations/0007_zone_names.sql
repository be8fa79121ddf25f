-- Zone names are headings: capitalised in English ("City promotion"), as
-- the standard zones are now seeded.
UPDATE zone SET name_en = 'City promotion' WHERE name_en = 'city promotion';
UPDATE zone SET name_en = 'Conferences and exhibitions' WHERE name_en = 'conferences and exhibitions';
UPDATE zone SET name_en = 'Economic and trade negotiations' WHERE name_en = 'economic and trade negotiations';
UPDATE zone SET name_en = 'Government services' WHERE name_en = 'government services';
UPDATE zone SET name_en = 'Import-export services' WHERE name_en = 'import-export services';
UPDATE zone SET name_en = 'Science popularization' WHERE name_en = 'science popularization';
