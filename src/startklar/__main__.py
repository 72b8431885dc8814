from startklar.cli import main

raise SystemExit(main())
