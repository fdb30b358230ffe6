from writ.cli import main

main()
