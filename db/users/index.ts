export { EngineUser, EngineUserSchema } from './user.entity';
export { UserRepository, type UserFilters } from './user.repository';
export { OutOfOffice, OutOfOfficeSchema } from './out-of-office.entity';
export { OutOfOfficeRepository, type OutOfOfficeRule } from './out-of-office.repository';
