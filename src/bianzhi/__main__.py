import sys

from bianzhi.cli import main

sys.exit(main())
