SELECT * FROM todolist WHERE id = :id
