module pocket_e2e_reaper

go 1.21
