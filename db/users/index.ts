export { EngineUser, EngineUserSchema } from './user.entity';
export { UserRepository, type UserFilters } from './user.repository';
