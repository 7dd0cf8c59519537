from haicang.cli import main

main()
