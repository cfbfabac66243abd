export { EngineUser, EngineUserSchema } from './user.entity';
export { UserRepository, hashApiKey, type UserFilters } from './user.repository';
