-- wijk: its own statement

-- gemeente: its own statement

-- school: its own statement

-- verwijzer: its own statement

-- hulpvorm: its own statement

-- aanbieder: its own statement
